import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCookieAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../access/allow.decorator';
import { assertEmptyBody, bearerOf, clearRefreshCookie, deliverSession, refreshCookieOf, requestContext } from './auth-http';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { LogoutDto } from './dto/logout.dto';
import { RefreshDto } from './dto/refresh.dto';
import { SetPasswordDto } from './dto/set-password.dto';
import { TokenResponseDto } from './dto/token-response.dto';
import { TotpConfirmDto } from './dto/totp-confirm.dto';
import { TotpEnrolmentDto } from './dto/totp-enrolment.dto';
import { SetPasswordTokenService } from './set-password-token.service';
import { TotpEnrolmentService } from './totp-enrolment.service';

/**
 * Authentication. Every route is public at the guard: login and set-password take credentials in
 * the body, refresh and logout a refresh token (cookie or body), and the TOTP routes check their own
 * bearer (an enrolment token or an access token).
 */
@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly totp: TotpEnrolmentService,
    private readonly setPasswordTokens: SetPasswordTokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in with email and password (and a TOTP code when required)',
    description:
      'Answers an access token, and a refresh token in the HttpOnly `sillage_refresh` cookie (or the body with ' +
      '`refreshTokenDelivery: "body"`). 401 INVALID_CREDENTIALS for any wrong email, password or account state; 401 TOTP_REQUIRED / ' +
      'TOTP_INVALID for the second factor; 403 TOTP_ENROLMENT_REQUIRED with an `enrolmentToken` member when the account must enrol ' +
      'first; 429 LOGIN_THROTTLED with Retry-After after too many failures for the account or the client address.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiResponse({ status: 401, description: 'INVALID_CREDENTIALS, TOTP_REQUIRED or TOTP_INVALID (problem+json)' })
  @ApiResponse({
    status: 403,
    description: 'TOTP_ENROLMENT_REQUIRED: problem+json with an `enrolmentToken` member (10 minutes) for the /v1/auth/totp routes',
  })
  @ApiResponse({ status: 429, description: 'LOGIN_THROTTLED, with Retry-After in seconds' })
  async login(
    @Body() body: LoginDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    const session = await this.auth.login(body, requestContext(req));
    return deliverSession(reply, session, body.refreshTokenDelivery ?? 'cookie', this.config.auth.cookieSecure);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiCookieAuth('sillage_refresh')
  @ApiOperation({
    summary: 'Rotate the refresh token and get a new access token',
    description:
      'The presented token (cookie, or `refreshToken` in the body) is spent and a new one issued. Presenting a spent token revokes ' +
      'every token of that login (401 REFRESH_TOKEN_REUSED); unknown, expired or revoked tokens answer 401 REFRESH_TOKEN_INVALID.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  async refresh(
    @Body() body: RefreshDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    const fromBody = body.refreshToken !== undefined;
    const token = body.refreshToken ?? refreshCookieOf(req);
    try {
      const session = await this.auth.refresh(token, requestContext(req));
      return deliverSession(reply, session, body.refreshTokenDelivery ?? (fromBody ? 'body' : 'cookie'), this.config.auth.cookieSecure);
    } catch (e) {
      if (!fromBody && token !== undefined) clearRefreshCookie(reply, this.config.auth.cookieSecure);
      throw e;
    }
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiCookieAuth('sillage_refresh')
  @ApiOperation({ summary: 'Revoke this login (every token of its refresh family) and clear the cookie' })
  @ApiNoContentResponse()
  async logout(@Body() body: LogoutDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.logout(body.refreshToken ?? refreshCookieOf(req), requestContext(req));
    clearRefreshCookie(reply, this.config.auth.cookieSecure);
  }

  @Post('set-password')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Choose a password with a one-time set-password link',
    description:
      '400 SET_PASSWORD_TOKEN_INVALID for an unknown, expired or used link; 400 PASSWORD_POLICY with every violated rule in ' +
      '`errors[].code` (TOO_SHORT, TOO_LONG, TOO_FEW_CLASSES, CONTAINS_EMAIL, COMMON). Spends every link of the user and ends their sessions.',
  })
  @ApiNoContentResponse()
  async setPassword(@Body() body: SetPasswordDto, @Req() req: FastifyRequest): Promise<void> {
    await this.setPasswordTokens.setPassword(body.token, body.password, requestContext(req));
  }

  @Post('totp/enrolment')
  @Public()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Start TOTP enrolment: get a new secret and its otpauth:// URI',
    description: 'Bearer: the `enrolmentToken` from a 403 TOTP_ENROLMENT_REQUIRED login, or an access token to enrol voluntarily.',
  })
  @ApiBody({ required: false, schema: { type: 'object', additionalProperties: false } })
  @ApiOkResponse({ type: TotpEnrolmentDto })
  async startTotpEnrolment(@Body() body: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    assertEmptyBody(body);
    const caller = this.totp.resolveCaller(bearerOf(req));
    const enrolment = await this.totp.start(caller, requestContext(req));
    void reply.header('Cache-Control', 'no-store');
    return enrolment;
  }

  @Post('totp/confirm')
  @Public()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Confirm TOTP enrolment with a first code',
    description:
      'With an enrolment token: enables TOTP and logs in (same answer as login). With an access token (voluntary enrolment): ' +
      'enables TOTP and answers 204.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiNoContentResponse()
  async confirmTotp(
    @Body() body: TotpConfirmDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto | undefined> {
    const caller = this.totp.resolveCaller(bearerOf(req));
    const session = await this.totp.confirm(caller, body.code, requestContext(req));
    if (!session) {
      void reply.status(204);
      return undefined;
    }
    return deliverSession(reply, session, body.refreshTokenDelivery ?? 'cookie', this.config.auth.cookieSecure);
  }
}
