import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { Page, toPage } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { Principal } from '../access/principal';
import { IdentityError } from '../identity.errors';
import { actorOf, decodeTimeCursor } from '../organisations/directory-support';
import { DEFAULT_PAGE_SIZE } from '@sillage/common';
import { ApiKeyRecord, ApiKeyManagementRepository } from './api-key-management.repository';
import { newApiKeySecret } from './api-key-secret';
import { ApiKeyDto } from './dto/api-key.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { CreatedApiKeyDto } from './dto/created-api-key.dto';
import { ListApiKeysQueryDto } from './dto/list-api-keys.query.dto';

export type ApiKeyRevokeReason = 'REVOKED_BY_ADMIN';

/**
 * An organisation's API keys, managed by its admins (users only: a key never manages keys). Keys
 * belong to one organisation; anyone else, the operator included, gets 404 (operator staff manage
 * their own organisation's keys).
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeyManagementRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  /** The secret is returned once; only its SHA-256 is stored. */
  async create(principal: Principal, input: CreateApiKeyDto, requestId?: string): Promise<CreatedApiKeyDto> {
    if (input.role === 'dpo') throw new IdentityError('ROLE_NOT_ALLOWED', 'an API key cannot have the dpo role', { field: 'role' });
    const { secret, hash, displayPrefix } = newApiKeySecret();
    return this.tx.run(async (tx) => {
      const key = await this.keys.insert(tx, {
        organisationId: principal.organisationId,
        name: input.name,
        role: input.role,
        prefix: displayPrefix,
        secretHash: hash,
        createdByUserId: principal.type === 'user' ? principal.id : null,
      });
      await this.audit.append(tx, {
        action: 'api_key.created',
        actor: actorOf(principal),
        subject: { type: 'api_key', id: key.id },
        facts: { organisationId: key.organisationId, role: key.role },
        requestId,
      });
      return { ...toApiKeyDto(key), secret };
    });
  }

  async list(principal: Principal, query: ListApiKeysQueryDto): Promise<Page<ApiKeyDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.keys.listOfOrganisation(principal.organisationId, {
      revoked: query.revoked === undefined ? undefined : query.revoked === 'true',
      after: decodeTimeCursor(query.cursor),
      limit,
    });
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map(toApiKeyDto), nextCursor: page.nextCursor };
  }

  /** Revokes the key at once (the next request with it gets 401 API_KEY_REVOKED). Idempotent. */
  async revoke(principal: Principal, id: string, requestId?: string): Promise<ApiKeyDto> {
    return this.tx.run(async (tx) => {
      const existing = await this.keys.findById(id, tx);
      if (!existing || existing.organisationId !== principal.organisationId) throw new IdentityError('NOT_FOUND', 'API key not found');
      const revoked = await this.keys.revoke(tx, id);
      if (!revoked) return toApiKeyDto((await this.keys.findById(id, tx)) ?? existing);
      const reason: ApiKeyRevokeReason = 'REVOKED_BY_ADMIN';
      await this.audit.append(tx, {
        action: 'api_key.revoked',
        actor: actorOf(principal),
        subject: { type: 'api_key', id },
        reason,
        facts: { organisationId: revoked.organisationId, role: revoked.role },
        requestId,
      });
      return toApiKeyDto(revoked);
    });
  }
}

function toApiKeyDto(k: ApiKeyRecord): ApiKeyDto {
  return {
    id: k.id,
    organisationId: k.organisationId,
    name: k.name,
    role: k.role,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
    lastUsedAt: k.lastUsedAt ? k.lastUsedAt.toISOString() : null,
  };
}
