export * from './codes/random-source';
export * from './codes/human-code';
export * from './codes/code-secrets';
export * from './codes/qr-token';
export * from './issuing/booklet-writer';
export * from './issuing/issuance.service';
export * from './keys/issuance-keys';
export * from './issuance.module';
