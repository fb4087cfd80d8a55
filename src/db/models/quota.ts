import { DataTypes, Model, Sequelize } from 'sequelize';
import { common } from '../types';

export class QuotaRow extends Model {
  declare id: number; declare project_id: string; declare user_id: string; declare resource: string; declare hard_limit: number;
}
export class QuotaClassRow extends Model {
  declare id: number; declare class_name: string; declare resource: string; declare hard_limit: number;
}
/** Usage counters changed only by conditional UPDATEs, so concurrent requests cannot exceed a limit. */
export class QuotaUsageRow extends Model {
  declare id: number; declare project_id: string; declare user_id: string; declare resource: string; declare in_use: number;
}
/** One consumer's use of one resource class on one compute node, as Placement keeps them. */
export class AllocationRow extends Model {
  declare id: number; declare consumer_id: string; declare compute_node_id: number;
  declare resource_class: string; declare used: number; declare created_at: Date;
}

export function initQuotaModels(sequelize: Sequelize): void {
  QuotaRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    project_id: { type: DataTypes.STRING(255), allowNull: false },
    user_id: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
    resource: { type: DataTypes.STRING(255), allowNull: false },
    hard_limit: { type: DataTypes.INTEGER, allowNull: false },
  }, { ...common, sequelize, tableName: 'quotas', modelName: 'Quota' });
  QuotaClassRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    class_name: { type: DataTypes.STRING(255), allowNull: false },
    resource: { type: DataTypes.STRING(255), allowNull: false },
    hard_limit: { type: DataTypes.INTEGER, allowNull: false },
  }, { ...common, sequelize, tableName: 'quota_classes', modelName: 'QuotaClass' });
  QuotaUsageRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    project_id: { type: DataTypes.STRING(255), allowNull: false },
    user_id: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
    resource: { type: DataTypes.STRING(255), allowNull: false },
    in_use: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  }, { ...common, sequelize, tableName: 'quota_usages', modelName: 'QuotaUsage' });
  AllocationRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    consumer_id: { type: DataTypes.STRING(36), allowNull: false },
    compute_node_id: { type: DataTypes.INTEGER, allowNull: false },
    resource_class: { type: DataTypes.STRING(255), allowNull: false },
    used: { type: DataTypes.INTEGER, allowNull: false },
  }, { ...common, updatedAt: false, sequelize, tableName: 'allocations', modelName: 'Allocation' });
}
