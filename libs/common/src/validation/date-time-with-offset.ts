/**
 * An instant as a client sends it: a date-time **with its offset** (a local time alone would be read
 * in the server's zone), in the forms every JavaScript engine parses — no week or ordinal dates, no
 * comma fractions. Used with class-validator's `IsISO8601(DATE_TIME_ISO_OPTIONS)`, which also
 * refuses impossible dates (30 February).
 */
export const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
export const DATE_TIME_ISO_OPTIONS = { strict: true, strictSeparator: true };
