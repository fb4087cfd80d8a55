import { DataTypes, Model, Sequelize } from 'sequelize';
import { common } from '../types';

/** The integer behind an EC2 id: `kind` is 'image', 'volume' or 'snapshot', `uuid` the OpenStack id. */
export class Ec2IdMappingRow extends Model {
  declare id: number;
  declare kind: string;
  declare uuid: string;
  declare created_at: Date;
}

export function initEc2IdMappingModels(sequelize: Sequelize): void {
  Ec2IdMappingRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    kind: { type: DataTypes.STRING(16), allowNull: false },
    uuid: { type: DataTypes.STRING(255), allowNull: false },
  }, { ...common, updatedAt: false, sequelize, tableName: 'ec2_id_mappings', modelName: 'Ec2IdMapping' });
}
