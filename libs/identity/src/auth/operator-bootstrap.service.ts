import { Inject, Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { Clock, CommonError, isValidCommuneCode, isValidSiren, isValidSiret } from '@sillage/common';
import type { Tx } from '@sillage/db';
import { TransactionRunner } from '@sillage/db';
import { IdentityError } from '../identity.errors';
import { UserRepository } from '../users/user.repository';
import { PasswordHasher } from './password-hasher';
import { assertPasswordPolicy } from './password-violations';
import { NewOperatorOrganisation, OperatorBootstrapRepository } from './operator-bootstrap.repository';
import { SetPasswordTokenService } from './set-password-token.service';

/**
 * Used when the operator's details are not given: a recognisable placeholder (the SIREN passes the
 * Luhn check but names no real company) to be corrected by an operator admin afterwards.
 */
export const DEFAULT_OPERATOR_ORGANISATION: NewOperatorOrganisation = {
  legalName: 'Opérateur Sillage',
  siren: '123456782',
  siret: null,
  addressLine: "1 place de l'Hôtel de Ville",
  postcode: '75004',
  communeCode: '75056',
};

export const DEFAULT_OPERATOR_ADMIN_DISPLAY_NAME = 'Operator administrator';

export interface OperatorAdminInput {
  email: string;
  displayName?: string;
  /** Policy-checked. Without one the user is invited and a one-time set-password token is returned. */
  password?: string;
  organisation?: Partial<NewOperatorOrganisation>;
}

export interface OperatorAdminResult {
  organisationId: string;
  organisationCreated: boolean;
  userId: string;
  /** Raw one-time token when no password was given; turn it into a link with `setPasswordLink`. */
  setPasswordToken?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function invalid(field: string, message: string): CommonError {
  return new CommonError('VALIDATION_FAILED', message, { field, errors: [{ field, code: 'invalid', message }] });
}

/**
 * Creates the single operator organisation (when none exists) and its first admin: run by
 * `npm run cli -- create-operator-admin` and, on first start, by the API when OPERATOR_ADMIN_EMAIL
 * is set. Serialised by an advisory lock, so processes starting together create one operator.
 */
@Injectable()
export class OperatorBootstrapService {
  constructor(
    private readonly repository: OperatorBootstrapRepository,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly setPasswordTokens: SetPasswordTokenService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Creates the operator organisation if there is none, and an admin in it. Refused with
   * OPERATOR_EXISTS when the operator already has an admin (further users are created by that admin).
   */
  async createOperatorAdmin(input: OperatorAdminInput): Promise<OperatorAdminResult> {
    const result = await this.create(input, false);
    if (!result) throw new Error('unreachable: an operator admin is created or an error thrown');
    return result;
  }

  /**
   * First start (docker-compose): with OPERATOR_ADMIN_EMAIL set and no operator admin yet, creates
   * the admin (and the operator organisation if there is none). Returns undefined when there is
   * nothing to do.
   */
  async bootstrapFromConfig(): Promise<OperatorAdminResult | undefined> {
    const { operatorAdminEmail, operatorAdminPassword } = this.config.bootstrap;
    if (!operatorAdminEmail) return undefined;
    return this.create({ email: operatorAdminEmail, password: operatorAdminPassword }, true);
  }

  private async create(input: OperatorAdminInput, onlyIfNoAdmin: boolean): Promise<OperatorAdminResult | undefined> {
    const email = input.email.trim().toLowerCase();
    if (!EMAIL.test(email) || email.length > 254) throw invalid('email', 'email must be an email address');
    const displayName = (input.displayName ?? DEFAULT_OPERATOR_ADMIN_DISPLAY_NAME).trim();
    if (displayName.length === 0 || displayName.length > 200) throw invalid('displayName', 'displayName must have 1 to 200 characters');
    const organisation = this.organisationDetails(input.organisation ?? {});
    if (input.password !== undefined) assertPasswordPolicy(input.password, email);
    const passwordHash = input.password === undefined ? null : await this.hasher.hash(input.password);

    return this.transactions.run(async (tx) => {
      await this.repository.lock(tx);
      const now = this.clock.now();
      const system = { type: 'system' as const };
      let organisationId = await this.repository.findOperatorOrganisationId(tx);
      const organisationCreated = organisationId === undefined;
      if (organisationId !== undefined) {
        const hasAdmin = await this.repository.hasAdmin(tx, organisationId);
        // First start: an operator without an admin (the demo dataset creates one) still gets its first admin.
        if (onlyIfNoAdmin && hasAdmin) return undefined;
        if (hasAdmin) {
          throw new IdentityError('OPERATOR_EXISTS', 'the operator organisation already has an admin: ask them to create further users');
        }
      } else {
        organisationId = await this.insertOrganisation(tx, organisation);
        await this.audit.append(tx, {
          action: 'organisation.created',
          actor: system,
          subject: { type: 'organisation', id: organisationId },
          reason: 'OPERATOR_BOOTSTRAP',
          facts: { kinds: 'operator', communeCode: organisation.communeCode },
        });
      }

      let userId: string;
      try {
        userId = await this.users.insert(tx, {
          organisationId,
          email,
          displayName,
          role: 'admin',
          status: passwordHash ? 'active' : 'invited',
          passwordHash,
          passwordChangedAt: passwordHash ? now : null,
        });
      } catch (e) {
        if (isUniqueViolation(e, 'app_user_email_key')) {
          throw new IdentityError('EMAIL_TAKEN', 'a user with this email already exists', { field: 'email' });
        }
        throw e;
      }
      await this.audit.append(tx, {
        action: 'user.created',
        actor: system,
        subject: { type: 'user', id: userId },
        reason: 'OPERATOR_BOOTSTRAP',
        facts: { role: 'admin', organisationId },
      });
      let setPasswordToken: string | undefined;
      if (passwordHash) {
        await this.audit.append(tx, {
          action: 'auth.password_set',
          actor: system,
          subject: { type: 'user', id: userId },
          reason: 'OPERATOR_BOOTSTRAP',
        });
      } else {
        setPasswordToken = await this.setPasswordTokens.mint(tx, userId, 'admin');
      }
      return { organisationId, organisationCreated, userId, setPasswordToken };
    });
  }

  private organisationDetails(given: Partial<NewOperatorOrganisation>): NewOperatorOrganisation {
    const o: NewOperatorOrganisation = { ...DEFAULT_OPERATOR_ORGANISATION, ...stripUndefined(given) };
    o.legalName = o.legalName.trim();
    o.addressLine = o.addressLine.trim();
    if (o.legalName.length === 0 || o.legalName.length > 200) throw invalid('legalName', 'legalName must have 1 to 200 characters');
    if (!isValidSiren(o.siren)) throw invalid('siren', 'siren must be a valid SIREN (9 digits, Luhn check)');
    if (o.siret !== null && (!isValidSiret(o.siret) || !o.siret.startsWith(o.siren))) {
      throw invalid('siret', 'siret must be a valid SIRET starting with the SIREN');
    }
    if (o.addressLine.length === 0 || o.addressLine.length > 300) throw invalid('addressLine', 'addressLine must have 1 to 300 characters');
    if (!/^\d{5}$/.test(o.postcode)) throw invalid('postcode', 'postcode must have 5 digits');
    if (!isValidCommuneCode(o.communeCode)) throw invalid('communeCode', 'communeCode must be an official INSEE commune code');
    return o;
  }

  private async insertOrganisation(tx: Tx, o: NewOperatorOrganisation): Promise<string> {
    try {
      return await this.repository.insertOperatorOrganisation(tx, o);
    } catch (e) {
      if (isUniqueViolation(e, 'organisation_siret_key')) {
        throw new IdentityError('SIRET_TAKEN', 'an organisation with this SIRET already exists', { field: 'siret' });
      }
      throw e;
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown; driverError?: { code?: unknown; constraint?: unknown } };
  return (e.driverError?.code ?? e.code) === '23505' && (e.driverError?.constraint ?? e.constraint) === constraint;
}
