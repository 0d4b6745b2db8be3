// A read worker that fails as it loads: for the test of the pool's fallback.
throw new Error("this worker is broken on purpose");
