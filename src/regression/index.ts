// Public API of src/regression; filled in by the regression work.
export {};
