// Text assets (presets, catalogues) are bundled into the program as strings: esbuild's text loader
// in the build, a small transform in vitest. That keeps the single executable free of files beside it.
declare module '*.yaml' {
  const text: string;
  export default text;
}
declare module '*.txt' {
  const text: string;
  export default text;
}
declare module 'inline:chart.js' {
  const text: string;
  export default text;
}
