// The PouchDB packages the engine loads; their API is typed in pouch.ts (PouchStatic).
declare module 'pouchdb-browser' {
  const PouchDB: unknown;
  export default PouchDB;
}
declare module 'pouchdb-core' {
  const PouchDB: unknown;
  export default PouchDB;
}
declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}
declare module 'pouchdb-replication' {
  const plugin: unknown;
  export default plugin;
}
// The Node build with LevelDB and HTTP (the embedded server; the tests' client of a real server).
declare module 'pouchdb' {
  const PouchDB: unknown;
  export default PouchDB;
}
