// Public API of src/display; filled in by the display work.
export {};
