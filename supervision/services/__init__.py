"""One function per thing a person can do. HTTP views, Socket.IO handlers and the CLI all call these."""
