// The library's own entry point reads a sample file when loaded without a parent module (as under
// some test runners); its inner module has no such side effect but no types of its own.
declare module 'pdf-parse/lib/pdf-parse.js' {
  import pdf from 'pdf-parse';
  export default pdf;
}
