import { Inject, Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { Clock, CommonError, Page, requireSomeField, toPage } from '@sillage/common';

import { APP_CONFIG, AppConfig } from '@sillage/config';
import type { Tx } from '@sillage/db';
import { TransactionRunner } from '@sillage/db';
import { Outbox } from '@sillage/queue';
import { randomUUID } from 'node:crypto';
import { AccessScope } from '../access/access-scope';
import { isOperator, Principal, Role } from '../access/principal';
import { setPasswordLink } from '../auth/set-password-link';
import { SetPasswordTokenService } from '../auth/set-password-token.service';
import { IdentityError } from '../identity.errors';
import { actorOf, decodeTimeCursor } from '../organisations/directory-support';
import { DEFAULT_PAGE_SIZE } from '@sillage/common';

import { OrganisationRepository } from '../organisations/organisation.repository';
import { CreateUserDto } from './dto/create-user.dto';
import { CreatedUserDto } from './dto/created-user.dto';
import { ListUsersQueryDto } from './dto/list-users.query.dto';
import { SetPasswordLinkDto } from './dto/set-password-link.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserDto } from './dto/user.dto';
import { DirectoryUser, DirectoryUserChanges, UserDirectoryRepository } from './user-directory.repository';

/** Audit reason codes for user changes. */
export type UserChangeReason = 'DISABLED_BY_ADMIN' | 'ENABLED_BY_ADMIN';

/**
 * Users of an organisation, managed by that organisation's admins or by the operator's admin.
 * Users belong to one organisation and are never visible to its partners. Emails and display names
 * never enter audit events or job payloads.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserDirectoryRepository,
    private readonly organisations: OrganisationRepository,
    private readonly setPasswordTokens: SetPasswordTokenService,
    private readonly scope: AccessScope,
    private readonly outbox: Outbox,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Creates an invited user (no password) and, in the same transaction, a set-password link returned
   * once to the admin and an outbox job that emails the user a link of their own.
   */
  async create(principal: Principal, input: CreateUserDto, requestId?: string): Promise<CreatedUserDto> {
    const organisationId = this.targetOrganisation(principal, input.organisationId);
    return this.tx.run(async (tx) => {
      const organisation = await this.organisations.findById(organisationId, tx);
      if (!organisation) throw new IdentityError('NOT_FOUND', 'organisation not found', { field: 'organisationId' });
      checkRoleAllowed(input.role, organisation.kinds.includes('operator'));

      const user = await this.users.insertInvited(tx, {
        organisationId,
        email: input.email.toLowerCase(),
        displayName: input.displayName,
        role: input.role,
      });
      const link = await this.issueLink(tx, user.id);
      await this.outbox.enqueue(
        tx,
        'identity.send-set-password-email',
        { userId: user.id },
        `set-password-email:${user.id}:${randomUUID()}`,
      );
      await this.audit.append(tx, {
        action: 'user.created',
        actor: actorOf(principal),
        subject: { type: 'user', id: user.id },
        facts: { organisationId, role: user.role, status: user.status },
        requestId,
      });
      return { ...toUserDto(user), setPasswordUrl: link.setPasswordUrl, setPasswordExpiresAt: link.expiresAt };
    });
  }

  /** An organisation's users; the operator may list any organisation's, or everyone. */
  async list(principal: Principal, query: ListUsersQueryDto): Promise<Page<UserDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeTimeCursor(query.cursor);
    const filterOrg = query.organisationId?.toLowerCase();
    if (!isOperator(principal) && filterOrg !== undefined && filterOrg !== principal.organisationId) {
      return { items: [], nextCursor: null };
    }
    const organisationId = isOperator(principal) ? filterOrg : principal.organisationId;
    const rows = await this.users.list({ organisationId, role: query.role, status: query.status, after, limit });
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map(toUserDto), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<UserDto> {
    const user = await this.users.findById(id);
    if (!user) throw new IdentityError('NOT_FOUND', 'user not found');
    this.scope.assertSameOrganisationOrOperator(principal, user.organisationId, 'user');
    return toUserDto(user);
  }

  /**
   * Role, display name and status, by an admin of the user's organisation or the operator's admin.
   * Nobody changes their own role or disables themselves. Disabling ends the user's sessions.
   */
  async update(principal: Principal, id: string, input: UpdateUserDto, requestId?: string): Promise<UserDto> {
    requireSomeField(input);
    const self = principal.type === 'user' && principal.id === id;
    return this.tx.run(async (tx) => {
      const current = await this.users.findByIdForUpdate(tx, id);
      if (!current) throw new IdentityError('NOT_FOUND', 'user not found');
      this.scope.assertSameOrganisationOrOperator(principal, current.organisationId, 'user');

      const changes: DirectoryUserChanges = {};
      if (input.role !== undefined && input.role !== current.role) {
        if (self) throw new IdentityError('FORBIDDEN', 'you cannot change your own role', { field: 'role' });
        const organisation = await this.organisations.findById(current.organisationId, tx);
        checkRoleAllowed(input.role, organisation?.kinds.includes('operator') ?? false);
        changes.role = input.role;
      }
      if (input.displayName !== undefined && input.displayName !== current.displayName) changes.displayName = input.displayName;
      let reason: UserChangeReason | undefined;
      if (input.status === 'disabled' && current.status !== 'disabled') {
        if (self) throw new IdentityError('FORBIDDEN', 'you cannot disable yourself', { field: 'status' });
        changes.status = 'disabled';
        reason = 'DISABLED_BY_ADMIN';
      } else if (input.status === 'active' && current.status === 'invited') {
        throw new CommonError('VALIDATION_FAILED', 'an invited user becomes active by setting their password', {
          field: 'status',
          errors: [{ field: 'status', code: 'invitedUser', message: 'an invited user becomes active by setting their password' }],
        });
      } else if (input.status === 'active' && current.status === 'disabled') {
        // Re-enabled users who never chose a password are still waiting for their link.
        changes.status = current.hasPassword ? 'active' : 'invited';
        reason = 'ENABLED_BY_ADMIN';
      }
      const changed = Object.keys(changes).sort();
      if (changed.length === 0) return toUserDto(current);

      const updated = await this.users.update(tx, id, changes);
      const revokedSessions = changes.status === 'disabled' ? await this.users.revokeRefreshTokens(tx, id) : 0;
      await this.audit.append(tx, {
        action: 'user.updated',
        actor: actorOf(principal),
        subject: { type: 'user', id },
        reason,
        facts: {
          organisationId: updated.organisationId,
          changed: changed.join(','),
          roleFrom: current.role,
          roleTo: updated.role,
          statusFrom: current.status,
          statusTo: updated.status,
          revokedRefreshTokens: revokedSessions,
        },
        requestId,
      });
      return toUserDto(updated);
    });
  }

  /** A fresh one-time link for the admin to hand over (earlier links stay valid until used or expired). */
  async issueSetPasswordLink(principal: Principal, id: string, requestId?: string): Promise<SetPasswordLinkDto> {
    return this.tx.run(async (tx) => {
      const user = await this.users.findByIdForUpdate(tx, id);
      if (!user) throw new IdentityError('NOT_FOUND', 'user not found');
      this.scope.assertSameOrganisationOrOperator(principal, user.organisationId, 'user');
      if (user.status === 'disabled') {
        throw new CommonError('CONFLICT', 'this user is disabled: enable them before sending a link', { field: 'status' });
      }
      const link = await this.issueLink(tx, user.id);
      await this.audit.append(tx, {
        action: 'user.set_password_link_issued',
        actor: actorOf(principal),
        subject: { type: 'user', id: user.id },
        facts: { organisationId: user.organisationId, channel: 'admin' },
        requestId,
      });
      return link;
    });
  }

  /** Where the new user goes: the admin's own organisation, or (operator admin) the one named. */
  private targetOrganisation(principal: Principal, requested: string | undefined): string {
    const id = requested?.toLowerCase();
    if (isOperator(principal)) {
      if (id === undefined) {
        throw new CommonError('VALIDATION_FAILED', 'organisationId is required', {
          field: 'organisationId',
          errors: [{ field: 'organisationId', code: 'isDefined', message: 'organisationId is required' }],
        });
      }
      return id;
    }
    if (id !== undefined && id !== principal.organisationId) {
      throw new IdentityError('NOT_FOUND', 'organisation not found', { field: 'organisationId' });
    }
    return principal.organisationId;
  }

  private async issueLink(tx: Tx, userId: string): Promise<SetPasswordLinkDto> {
    const token = await this.setPasswordTokens.mint(tx, userId, 'admin');
    const expiresAt = new Date(this.clock.now().getTime() + this.config.auth.setPasswordTokenTtlSeconds * 1000);
    return { setPasswordUrl: setPasswordLink(this.config.http.publicBaseUrl, token), expiresAt: expiresAt.toISOString() };
  }
}

/** `dpo` exists only in the operator organisation. */
function checkRoleAllowed(role: Role, inOperator: boolean): void {
  if (role === 'dpo' && !inOperator) {
    throw new IdentityError('ROLE_NOT_ALLOWED', 'the dpo role exists only in the operator organisation', { field: 'role' });
  }
}

export function toUserDto(u: DirectoryUser): UserDto {
  return {
    id: u.id,
    organisationId: u.organisationId,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    status: u.status,
    totpEnabled: u.totpEnabled,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}
