export declare const E2E: { admin: { email: string; password: string }; apiKey: string };
