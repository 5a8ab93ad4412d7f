{{/* Names, labels and small shared pieces. */}}
{{- define "xin.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "xin.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "xin.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "xin.selectorLabels" -}}
app.kubernetes.io/name: {{ include "xin.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "xin.labels" -}}
helm.sh/chart: {{ include "xin.chart" . }}
{{ include "xin.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: xin
{{- end }}

{{- define "xin.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "xin.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "xin.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The Secret mounted as Xin's secret files: ESO's target, or an existing one. */}}
{{- define "xin.secretName" -}}
{{- if .Values.externalSecrets.enabled }}
{{- printf "%s-secrets" (include "xin.fullname" .) }}
{{- else }}
{{- .Values.secrets.existingSecret }}
{{- end }}
{{- end }}

{{- define "xin.secretStoreName" -}}
{{- default (printf "%s-aws-secrets-manager" (include "xin.fullname" .)) .Values.externalSecrets.secretStore.name }}
{{- end }}

{{/* Pod security context shared by the server and the worker. */}}
{{- define "xin.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "xin.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Environment shared by the server and the worker. */}}
{{- define "xin.env" -}}
- name: APP_ENV
  value: {{ .Values.appEnv | quote }}
- name: XIN_CONFIG_DIR
  value: {{ .Values.config.mountPath | quote }}
- name: XIN_DATA_DIR
  value: {{ .Values.dataDir.path | quote }}
{{- $secret := include "xin.secretName" . }}
{{- if $secret }}
- name: XIN_SECRETS__PROVIDER
  value: file
- name: XIN_SECRETS__DIRECTORY
  value: {{ .Values.secrets.mountPath | quote }}
{{- if .Values.secrets.pepperKey }}
- name: XIN_AUTH__PEPPER
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.secrets.pepperKey }}
{{- end }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "xin.volumeMounts" -}}
- name: config
  mountPath: {{ .Values.config.mountPath }}
  readOnly: true
- name: data
  mountPath: {{ .Values.dataDir.path }}
- name: tmp
  mountPath: /tmp
{{- if include "xin.secretName" . }}
- name: secrets
  mountPath: {{ .Values.secrets.mountPath }}
  readOnly: true
{{- end }}
{{- end }}

{{- define "xin.volumes" -}}
- name: config
  configMap:
    name: {{ include "xin.fullname" . }}-config
- name: data
  emptyDir:
    sizeLimit: {{ .Values.dataDir.sizeLimit }}
- name: tmp
  emptyDir:
    medium: Memory
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- $secret := include "xin.secretName" . }}
{{- if $secret }}
- name: secrets
  secret:
    secretName: {{ $secret }}
    defaultMode: 0440
{{- end }}
{{- end }}
