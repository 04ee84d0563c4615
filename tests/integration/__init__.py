"""Tests that start other processes: the store under concurrent writers and SIGKILL."""
