// The CLI's exit codes: 0 done, 1 an input could not be read (or the CLI itself not loaded), 2 usage,
// 3 --fail-on matched. A module of its own, so that the bin's small launcher shares them with the CLI.

export const EXIT = { ok: 0, input: 1, usage: 2, failOn: 3 } as const;
