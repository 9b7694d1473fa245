import { isDeepStrictEqual } from 'node:util';
import { KindGuard, Type, type StaticDecode, type TObject, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import Ajv, { type ValidateFunction } from 'ajv';

/**
 * Settings read from environment variables. A setting is a TypeBox schema annotated with its
 * variable, so one schema gives the configuration's type, defaults, bounds and error messages.
 */
export interface Setting<V> {
  /** The environment variable. */
  env: string;
  description: string;
  /** The default (in development and test); without it or `defaultFrom`, the variable is required. */
  default?: V;
  /** A default computed from the variables above it: settings are read in schema order. */
  defaultFrom?: (read: Readonly<Record<string, unknown>>) => V;
  /** No default when NODE_ENV is production (secrets, WeChat credentials), nor may it be set to it. */
  requiredInProduction?: boolean;
  /** What a valid value is, to name a bad one: "PORT must be …". */
  rule?: string;
  /** A condition JSON Schema cannot state (ascending scores, a URL's protocol). */
  check?: (value: V) => boolean;
  /** Keeps the value out of error messages, which are printed. */
  secret?: boolean;
  /** What a message shows of a bad value, when not all of it. */
  shown?: (raw: string) => string;
}

type AnySetting = TSchema & Setting<unknown>;
type Env = Record<string, string | undefined>;

// Values arrive as text: ajv turns "42" into 42 and rejects "4.2" for an integer, where TypeBox's
// Value.Convert would truncate it to 4.
const ANNOTATIONS = ['env', 'defaultFrom', 'requiredInProduction', 'rule', 'check', 'secret', 'shown'];
const ajv = new Ajv({ coerceTypes: true }).addVocabulary(ANNOTATIONS);
const validators = new WeakMap<TSchema, ValidateFunction>();

export function setting<T extends TSchema>(schema: T, from: Setting<StaticDecode<T>>): T {
  return { ...schema, ...from };
}

export function integer(env: string, fallback: number, minimum: number, maximum: number, description: string) {
  const rule = `must be an integer between ${minimum} and ${maximum}`;
  return setting(Type.Integer({ minimum, maximum }), { env, default: fallback, description, rule });
}

export function url(env: string, protocols: string[], from: Omit<Setting<string>, 'env' | 'rule' | 'check' | 'shown'>) {
  const check = (value: string) => URL.canParse(value) && protocols.includes(new URL(value).protocol);
  // Only the protocol of a URL that parses: the rest may hold a password.
  const shown = (raw: string) => (URL.canParse(raw) ? new URL(raw).protocol : raw);
  return setting(Type.String(), { ...from, env, rule: `must use ${protocols.join(' or ')}`, check, shown });
}

/** An object with one property per key, e.g. a template id per template key. */
export function keyed<K extends string, S extends TSchema>(keys: readonly K[], property: (key: K) => S) {
  const properties = Object.fromEntries(keys.map((key) => [key, property(key)])) as Record<K, S>;
  return Type.Object(properties, { additionalProperties: false });
}

/**
 * Reads every setting of `schema`, an object of settings and of objects of settings, from `env`.
 * Each missing or bad variable adds a problem naming it, so all are reported at once.
 */
export function readSettings<T extends TObject>(schema: T, env: Env) {
  const problems: string[] = [];
  const read: Record<string, unknown> = {};
  const visit = (node: TSchema): unknown => {
    if (isSetting(node)) return (read[node.env] = readSetting(node, env[node.env]?.trim(), read, problems));
    const properties = Object.entries((node as TObject).properties);
    return Object.fromEntries(properties.map(([key, child]) => [key, visit(child)]));
  };
  // Every value was validated against its own schema on the way.
  return { settings: visit(schema) as StaticDecode<T>, problems };
}

function isSetting(schema: TSchema): schema is AnySetting {
  return typeof schema.env === 'string';
}

function readSetting(setting: AnySetting, raw: string | undefined, read: Record<string, unknown>, problems: string[]) {
  // NODE_ENV is the schema's first setting, so it is known here.
  const production = read.NODE_ENV === 'production';
  const fallback = () => {
    if (production && setting.requiredInProduction) return undefined;
    return decode(setting, 'default' in setting ? structuredClone(setting.default) : setting.defaultFrom?.(read));
  };
  if (!raw) {
    if (production && setting.requiredInProduction) {
      problems.push(`${setting.env} is required in production but not set`);
    } else if (!('default' in setting) && !setting.defaultFrom) {
      problems.push(`${setting.env} is required but not set`);
    }
    return fallback();
  }
  const candidate = { value: fromText(setting, raw) };
  if (!validatorOf(setting)(candidate) || (setting.check && !setting.check(candidate.value))) {
    const got = setting.secret ? '' : ` (got "${setting.shown?.(raw) ?? raw}")`;
    problems.push(`${setting.env} ${setting.rule ?? 'is not valid'}${got}`);
    return fallback();
  }
  if (production && setting.requiredInProduction && isDeepStrictEqual(candidate.value, setting.default)) {
    problems.push(`${setting.env} must not be the development default in production`);
  }
  return decode(setting, candidate.value);
}

/** A list is comma-separated ("a,b"); an object is key:value pairs that override its default's. */
function fromText(setting: AnySetting, raw: string): unknown {
  const items = raw.split(',').map((item) => item.trim());
  if (setting.type === 'array') return items.filter(Boolean);
  if (setting.type === 'object') {
    const pairs = items.map((pair) => pair.split(':').map((part) => part.trim()));
    return { ...(setting.default as object), ...Object.fromEntries(pairs) };
  }
  return raw;
}

function validatorOf(schema: TSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    // Inside an object, because ajv coerces a value by assigning it back to its parent.
    validate = ajv.compile({ type: 'object', properties: { value: schema }, required: ['value'] });
    validators.set(schema, validate);
  }
  return validate;
}

/** Applies a Type.Transform's Decode (e.g. resolving a path). */
function decode(schema: TSchema, value: unknown): unknown {
  return KindGuard.IsTransform(schema) && value !== undefined ? Value.Decode(schema, value) : value;
}
