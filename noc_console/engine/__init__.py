"""The Qt-free runtime: poll scheduler, correlator and the `noc-console poller` process."""
