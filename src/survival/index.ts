// Public API of src/survival; filled in by the survival work.
export {};
