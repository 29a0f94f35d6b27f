"""Dashboards and reports of the figures: province (inspectors), commune (clerks, leaders), exports."""
