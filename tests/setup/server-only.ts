// vitest runs outside React's "react-server" condition, where `server-only` throws on import.
export {};
