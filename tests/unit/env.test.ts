import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnv } from "@/lib/env";

const touched = ["HOOKLINE_ENGINE_RETENTION_DAYS", "HOOKLINE_RETENTION_DAYS", "LOG_LEVEL", "HOOKLINE_TRUSTED_PROXIES", "HOOKLINE_HOST", "HOSTNAME"];
const saved = Object.fromEntries(touched.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnv();
});

describe("the environment", () => {
  it("takes an empty value (`X=` in a .env file, `${X:-}` in compose) as unset: the default applies", () => {
    Object.assign(process.env, { HOOKLINE_ENGINE_RETENTION_DAYS: "", HOOKLINE_RETENTION_DAYS: "", LOG_LEVEL: "" });
    resetEnv();
    expect(env().HOOKLINE_ENGINE_RETENTION_DAYS).toBe(7);
    expect(env().HOOKLINE_RETENTION_DAYS).toBe(30);
    expect(env().LOG_LEVEL).toBe("info");
  });

  it("keeps an empty HOOKLINE_TRUSTED_PROXIES, which means: trust no proxy", () => {
    process.env.HOOKLINE_TRUSTED_PROXIES = "";
    resetEnv();
    expect(env().HOOKLINE_TRUSTED_PROXIES).toBe("");
  });

  it("still refuses nonsense, naming the variable and not its value", () => {
    process.env.HOOKLINE_ENGINE_RETENTION_DAYS = "7d";
    resetEnv();
    expect(() => env()).toThrow(/Invalid environment:\n {2}HOOKLINE_ENGINE_RETENTION_DAYS: /);
    expect(() => env()).not.toThrow(/7d/);
  });

  it("reads numbers as decimals only: 0x10 and 1e3 are refused, not taken as 16 and 1000; spaces and fractions are fine", () => {
    for (const value of ["0x10", "1e3", "Infinity", "12 days"]) {
      process.env.HOOKLINE_RETENTION_DAYS = value;
      resetEnv();
      expect(() => env(), value).toThrow(/HOOKLINE_RETENTION_DAYS: must be a decimal number/);
    }
    Object.assign(process.env, { HOOKLINE_RETENTION_DAYS: " 14 ", HOOKLINE_ENGINE_RETENTION_DAYS: "0.5" });
    resetEnv();
    expect([env().HOOKLINE_RETENTION_DAYS, env().HOOKLINE_ENGINE_RETENTION_DAYS]).toEqual([14, 0.5]);
  });

  it("listens on HOOKLINE_HOST, never on the machine name a shell or Docker puts in HOSTNAME", () => {
    process.env.HOSTNAME = "3f2a9c1b7d4e";
    delete process.env.HOOKLINE_HOST;
    resetEnv();
    expect(env().HOOKLINE_HOST).toBe("0.0.0.0");
    process.env.HOOKLINE_HOST = "127.0.0.1";
    resetEnv();
    expect(env().HOOKLINE_HOST).toBe("127.0.0.1");
  });
});
