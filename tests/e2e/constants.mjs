// Shared by the e2e server launcher and the specs.
export const E2E = {
  admin: { email: "admin@example.com", password: "correct horse battery staple" },
  apiKey: "hk_e2e_0123456789abcdefghij",
};
