/** Browsers keep the refresh token in an HttpOnly cookie; devices and scripts take it in the body. */
export const REFRESH_TOKEN_DELIVERIES = ['cookie', 'body'] as const;
export type RefreshTokenDelivery = (typeof REFRESH_TOKEN_DELIVERIES)[number];
