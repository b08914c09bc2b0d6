export * from './codes/random-source';
export * from './codes/human-code';
export * from './codes/code-secrets';
export * from './codes/qr-token';
