"""Things the assistant can do besides answering: hand off to a human, open a ticket, look
something up. Actions are registered with a pydantic parameter model; side-effecting ones
run only after the user confirms; every run is audited. See docs/channels.md."""
