// Public API of src/spec; filled in by the spec work.
export {};
