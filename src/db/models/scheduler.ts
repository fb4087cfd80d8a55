import { DataTypes, Model, Sequelize } from 'sequelize';
import { common, jsonText } from '../types';

export class AggregateRow extends Model {
  declare id: number; declare uuid: string; declare name: string; declare created_at: Date; declare updated_at: Date | null;
}
export class AggregateHostRow extends Model {
  declare id: number; declare aggregate_id: number; declare host: string;
}
export class AggregateMetadataRow extends Model {
  declare id: number; declare aggregate_id: number; declare key: string; declare value: string;
}
export class InstanceGroupRow extends Model {
  declare id: number; declare uuid: string; declare name: string | null; declare project_id: string; declare user_id: string;
  declare created_at: Date; declare updated_at: Date | null;
}
export class InstanceGroupPolicyRow extends Model {
  declare id: number; declare group_id: number; declare policy: string; declare rules: Record<string, unknown> | null;
}
export class InstanceGroupMemberRow extends Model {
  declare id: number; declare group_id: number; declare instance_uuid: string; declare created_at: Date;
}

export function initSchedulerModels(sequelize: Sequelize): void {
  const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };
  const opts = (tableName: string, modelName: string) => ({ ...common, sequelize, tableName, modelName });
  AggregateRow.init({
    id, uuid: { type: DataTypes.STRING(36), allowNull: false }, name: { type: DataTypes.STRING(255), allowNull: false },
  }, opts('aggregates', 'Aggregate'));
  AggregateHostRow.init({
    id, aggregate_id: { type: DataTypes.INTEGER, allowNull: false }, host: { type: DataTypes.STRING(255), allowNull: false },
  }, opts('aggregate_hosts', 'AggregateHost'));
  AggregateMetadataRow.init({
    id, aggregate_id: { type: DataTypes.INTEGER, allowNull: false }, key: { type: DataTypes.STRING(255), allowNull: false },
    value: { type: DataTypes.STRING(255), allowNull: false },
  }, opts('aggregate_metadata', 'AggregateMetadata'));
  InstanceGroupRow.init({
    id, uuid: { type: DataTypes.STRING(36), allowNull: false }, name: { type: DataTypes.STRING(255), allowNull: true },
    project_id: { type: DataTypes.STRING(255), allowNull: false }, user_id: { type: DataTypes.STRING(255), allowNull: false },
  }, opts('instance_groups', 'InstanceGroup'));
  InstanceGroupPolicyRow.init({
    id, group_id: { type: DataTypes.INTEGER, allowNull: false }, policy: { type: DataTypes.STRING(255), allowNull: false },
    rules: jsonText('rules'),
  }, opts('instance_group_policy', 'InstanceGroupPolicy'));
  InstanceGroupMemberRow.init({
    id, group_id: { type: DataTypes.INTEGER, allowNull: false }, instance_uuid: { type: DataTypes.STRING(36), allowNull: false },
  }, opts('instance_group_member', 'InstanceGroupMember'));
}
