"""The training programme hub: its service (python -m clinician_workbook.hub) and the clients."""
