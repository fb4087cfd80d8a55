import { DataTypes, Model, Sequelize } from 'sequelize';
import { common } from '../types';

export class FlavorRow extends Model {
  declare id: number;
  declare flavorid: string;
  declare name: string;
  declare memory_mb: number;
  declare vcpus: number;
  declare root_gb: number;
  declare ephemeral_gb: number;
  declare swap: number;
  declare rxtx_factor: number;
  declare vcpu_weight: number | null;
  declare is_public: boolean;
  declare disabled: boolean;
  declare description: string | null;
  declare created_at: Date;
  declare updated_at: Date;
}
export class FlavorExtraSpecRow extends Model {
  declare id: number; declare flavor_id: number; declare key: string; declare value: string;
}
export class FlavorProjectRow extends Model {
  declare id: number; declare flavor_id: number; declare project_id: string;
}
export class KeyPairRow extends Model {
  declare id: number; declare name: string; declare user_id: string; declare fingerprint: string;
  declare public_key: string; declare type: string; declare created_at: Date; declare updated_at: Date;
}

export function initFlavorModels(sequelize: Sequelize): void {
  FlavorRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    flavorid: { type: DataTypes.STRING(255), allowNull: false, unique: true },
    name: { type: DataTypes.STRING(255), allowNull: false, unique: true },
    memory_mb: { type: DataTypes.INTEGER, allowNull: false },
    vcpus: { type: DataTypes.INTEGER, allowNull: false },
    root_gb: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    ephemeral_gb: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    swap: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    rxtx_factor: { type: DataTypes.FLOAT, allowNull: false, defaultValue: 1 },
    vcpu_weight: { type: DataTypes.INTEGER, allowNull: true },
    is_public: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    disabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    description: { type: DataTypes.TEXT, allowNull: true },
  }, { ...common, sequelize, tableName: 'flavors', modelName: 'Flavor' });
  FlavorExtraSpecRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    flavor_id: { type: DataTypes.INTEGER, allowNull: false },
    key: { type: DataTypes.STRING(255), allowNull: false },
    value: { type: DataTypes.STRING(255), allowNull: false },
  }, { ...common, timestamps: false, sequelize, tableName: 'flavor_extra_specs', modelName: 'FlavorExtraSpec' });
  FlavorProjectRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    flavor_id: { type: DataTypes.INTEGER, allowNull: false },
    project_id: { type: DataTypes.STRING(255), allowNull: false },
  }, { ...common, timestamps: false, sequelize, tableName: 'flavor_projects', modelName: 'FlavorProject' });
  KeyPairRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    name: { type: DataTypes.STRING(255), allowNull: false },
    user_id: { type: DataTypes.STRING(255), allowNull: false },
    fingerprint: { type: DataTypes.STRING(255), allowNull: false },
    public_key: { type: DataTypes.TEXT, allowNull: false },
    type: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'ssh' },
  }, { ...common, sequelize, tableName: 'key_pairs', modelName: 'KeyPair' });
}
