// Public API of src/lca; filled in by the lca work.
export {};
