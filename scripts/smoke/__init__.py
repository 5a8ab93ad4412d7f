"""Post-deploy smoke checks behind scripts/smoke_test.sh (standard library + optional boto3)."""
