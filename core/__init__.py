"""The shared kernel every app builds on: domain errors, committee scoping, roles, history
stamps, the API's and the admin's scoped base classes, Excel downloads and uploaded files. It
imports no app."""
