export * from './vault';
export * from './suppression';
export * from './store/vault.service';
export * from './access-log/access-log';
export * from './privacy.module';
export * from './requests/privacy-request.entity';
export * from './requests/privacy-requests.service';
