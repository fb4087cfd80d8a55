import { DataTypes, Model, Sequelize } from 'sequelize';
import { common, jsonText } from '../types';

// Models of the built-in Identity service; tables from migration 002_identity.

export class DomainRow extends Model {
  declare id: string; declare name: string; declare description: string | null; declare enabled: boolean;
  declare extra: Record<string, unknown>;
}
export class ProjectRow extends Model {
  declare id: string; declare name: string; declare domain_id: string; declare parent_id: string | null;
  declare description: string | null; declare enabled: boolean; declare tags: string[]; declare extra: Record<string, unknown>;
}
export class UserRow extends Model {
  declare id: string; declare name: string; declare domain_id: string; declare password_hash: string | null;
  declare enabled: boolean; declare default_project_id: string | null; declare extra: Record<string, unknown>;
  declare password_changed_at: Date | null;
}
export class RoleRow extends Model {
  declare id: string; declare name: string; declare domain_id: string; declare description: string | null;
}
export class ImpliedRoleRow extends Model {
  declare prior_role_id: string; declare implied_role_id: string;
}
/** One grant: `actor_id` (a user) holds `role_id` on `target_id` (a project) when type is UserProject. */
export class AssignmentRow extends Model {
  declare type: string; declare actor_id: string; declare target_id: string; declare role_id: string;
}
export class RegionRow extends Model {
  declare id: string; declare description: string | null; declare parent_region_id: string | null;
}
export class CatalogServiceRow extends Model {
  declare id: string; declare type: string; declare name: string | null; declare description: string | null; declare enabled: boolean;
}
export class EndpointRow extends Model {
  declare id: string; declare service_id: string; declare interface: string; declare region_id: string | null;
  declare url: string; declare enabled: boolean;
}
/** An issued token, keyed by the SHA-256 of its text. */
export class TokenRow extends Model {
  declare id: string; declare user_id: string; declare project_id: string | null; declare methods: string[];
  declare audit_id: string; declare audit_chain_id: string; declare issued_at: Date; declare expires_at: Date;
}
export class Ec2CredentialRow extends Model {
  declare access: string; declare secret: string; declare user_id: string; declare project_id: string; declare trust_id: string | null;
  declare created_at: Date;
}

// Fresh objects per attribute: sequelize writes into attribute definitions.
const key = (n = 64) => ({ type: DataTypes.STRING(n), primaryKey: true, allowNull: false });
const str = (n = 255, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
const enabled = () => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true });
const text = () => ({ type: DataTypes.TEXT, allowNull: true });
const bare = { timestamps: false, underscored: true, freezeTableName: true } as const;

export function initIdentityModels(sequelize: Sequelize): void {
  DomainRow.init({ id: key(), name: str(64, false), description: text(), enabled: enabled(), extra: jsonText('extra', {}) },
    { ...common, sequelize, tableName: 'identity_domains', modelName: 'IdentityDomain' });
  ProjectRow.init({
    id: key(), name: str(64, false), domain_id: str(64, false), parent_id: str(64), description: text(), enabled: enabled(),
    tags: jsonText('tags', []), extra: jsonText('extra', {}),
  }, { ...common, sequelize, tableName: 'identity_projects', modelName: 'IdentityProject' });
  UserRow.init({
    id: key(), name: str(255, false), domain_id: str(64, false), password_hash: str(255), enabled: enabled(), default_project_id: str(64),
    extra: jsonText('extra', {}), password_changed_at: { type: DataTypes.DATE, allowNull: true },
  }, { ...common, sequelize, tableName: 'identity_users', modelName: 'IdentityUser' });
  RoleRow.init({ id: key(), name: str(255, false), domain_id: { ...str(64, false), defaultValue: '' }, description: text() },
    { ...common, sequelize, tableName: 'identity_roles', modelName: 'IdentityRole' });
  ImpliedRoleRow.init({ prior_role_id: key(), implied_role_id: key() },
    { ...bare, sequelize, tableName: 'identity_implied_roles', modelName: 'IdentityImpliedRole' });
  AssignmentRow.init({ type: key(32), actor_id: key(), target_id: key(), role_id: key() },
    { ...bare, sequelize, tableName: 'identity_assignments', modelName: 'IdentityAssignment' });
  RegionRow.init({ id: key(255), description: text(), parent_region_id: str(255) },
    { ...common, sequelize, tableName: 'identity_regions', modelName: 'IdentityRegion' });
  CatalogServiceRow.init({ id: key(), type: str(255, false), name: str(255), description: text(), enabled: enabled() },
    { ...common, sequelize, tableName: 'identity_services', modelName: 'IdentityService' });
  EndpointRow.init({
    id: key(), service_id: str(64, false), interface: str(8, false), region_id: str(255), url: { type: DataTypes.TEXT, allowNull: false }, enabled: enabled(),
  }, { ...common, sequelize, tableName: 'identity_endpoints', modelName: 'IdentityEndpoint' });
  TokenRow.init({
    id: key(), user_id: str(64, false), project_id: str(64), methods: { ...jsonText('methods', []), type: DataTypes.STRING(255), allowNull: false },
    audit_id: str(64, false), audit_chain_id: str(64, false),
    issued_at: { type: DataTypes.DATE, allowNull: false }, expires_at: { type: DataTypes.DATE, allowNull: false },
  }, { ...bare, sequelize, tableName: 'identity_tokens', modelName: 'IdentityToken' });
  Ec2CredentialRow.init({ access: key(), secret: str(64, false), user_id: str(64, false), project_id: str(64, false), trust_id: str(64) },
    { ...common, sequelize, tableName: 'identity_ec2_credentials', modelName: 'IdentityEc2Credential' });
}
