import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import { isValidCommuneCode } from './insee-commune';
import { isValidSiren, isValidSiret } from './siren';

// Constraint names, as they appear as keys of ValidationError.constraints.
export const IS_SIREN = 'isSiren';
export const IS_SIRET = 'isSiret';
export const IS_COMMUNE_CODE = 'isCommuneCode';

// Values arrive from JSON bodies: anything but a string (e.g. a SIREN sent as a number, which
// would lose leading zeros) is invalid rather than coerced.
const stringCheck =
  (check: (s: string) => boolean) =>
  (value: unknown): boolean =>
    typeof value === 'string' && check(value);

export function IsSiren(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_SIREN,
      validator: {
        validate: stringCheck(isValidSiren),
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must be a valid SIREN (9 digits, Luhn check)`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}

export function IsSiret(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_SIRET,
      validator: {
        validate: stringCheck(isValidSiret),
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must be a valid SIRET (14 digits, Luhn check)`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}

export function IsCommuneCode(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_COMMUNE_CODE,
      validator: {
        validate: stringCheck(isValidCommuneCode),
        defaultMessage: buildMessage((eachPrefix) => `${eachPrefix}$property must be an official INSEE commune code`, validationOptions),
      },
    },
    validationOptions,
  );
}
