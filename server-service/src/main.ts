// Entry point of server-service; filled in as the app lands.
export {};
