// Dashboard: model-update-view terminal UI.
