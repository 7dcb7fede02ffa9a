// Vite's `?raw` imports (used by workerd tests to bundle fixtures) give the file's text.
declare module "*?raw" {
  const text: string;
  export default text;
}
