// Entry point of the sandbox (emulated API server, simulators, demo).
return 0;
