// Public API of src/data; filled in by the data work.
export {};
