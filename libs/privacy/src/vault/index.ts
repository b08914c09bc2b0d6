export * from './vault.errors';
export * from './data-keys';
export * from './records';
export * from './pseudonym';
export * from './personal-data-vault';
// The low-level seal/open of ./envelope stay internal: callers go through data keys and records.
export { VAULT_FORMAT_VERSION } from './envelope';
