import { DataTypes, Model, Sequelize } from 'sequelize';
import { common, jsonText } from '../types';

export interface FlavorCopy {
  id: number; flavorid: string; name: string; memory_mb: number; vcpus: number; root_gb: number;
  ephemeral_gb: number; swap: number; rxtx_factor: number; vcpu_weight: number | null;
  is_public: boolean; description: string | null; extra_specs: Record<string, string>;
}
/** Nova keeps the current flavor and, during a resize, the old and new ones. */
export interface InstanceFlavors { cur: FlavorCopy; old?: FlavorCopy | null; new?: FlavorCopy | null }

export class InstanceRow extends Model {
  declare id: number;
  declare uuid: string;
  declare display_name: string;
  declare display_description: string | null;
  declare hostname: string | null;
  declare project_id: string;
  declare user_id: string;
  declare vm_state: string;
  declare task_state: string | null;
  declare power_state: number;
  declare host: string | null;
  declare node: string | null;
  declare launched_on: string | null;
  declare flavor: InstanceFlavors;
  declare instance_type_id: number | null;
  declare memory_mb: number;
  declare vcpus: number;
  declare root_gb: number;
  declare ephemeral_gb: number;
  declare image_ref: string;
  declare kernel_id: string | null;
  declare ramdisk_id: string | null;
  declare key_name: string | null;
  declare key_data: string | null;
  declare user_data: string | null;
  declare availability_zone: string | null;
  declare reservation_id: string;
  declare launch_index: number;
  declare config_drive: string | null;
  declare access_ip_v4: string | null;
  declare access_ip_v6: string | null;
  declare locked: boolean;
  declare locked_by: string | null;
  declare progress: number;
  declare root_device_name: string | null;
  declare os_type: string | null;
  declare architecture: string | null;
  declare vm_mode: string | null;
  declare auto_disk_config: boolean;
  declare network_info: unknown[];
  declare image_meta: Record<string, unknown>;
  declare launched_at: Date | null;
  declare terminated_at: Date | null;
  declare scheduled_at: Date | null;
  declare deleted_at: Date | null;
  declare deleted: number;
  declare created_at: Date;
  declare updated_at: Date;
}

export class InstanceMetadataRow extends Model {
  declare id: number; declare instance_uuid: string; declare key: string; declare value: string;
}
export class InstanceSystemMetadataRow extends Model {
  declare id: number; declare instance_uuid: string; declare key: string; declare value: string;
}
export class TagRow extends Model {
  declare resource_id: string; declare tag: string;
}
export class InstanceFaultRow extends Model {
  declare id: number; declare instance_uuid: string; declare code: number; declare message: string;
  declare details: string | null; declare host: string | null; declare created_at: Date;
}
export class InstanceActionRow extends Model {
  declare id: number; declare action: string; declare instance_uuid: string; declare request_id: string;
  declare user_id: string | null; declare project_id: string | null; declare start_time: Date;
  declare finish_time: Date | null; declare message: string | null; declare created_at: Date; declare updated_at: Date;
}
export class InstanceActionEventRow extends Model {
  declare id: number; declare action_id: number; declare event: string; declare start_time: Date;
  declare finish_time: Date | null; declare result: string | null; declare traceback: string | null;
  declare host: string | null; declare details: string | null;
}

const str = (n: number, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });

export function initInstanceModels(sequelize: Sequelize): void {
  InstanceRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    uuid: { type: DataTypes.STRING(36), allowNull: false, unique: true },
    display_name: str(255, false),
    display_description: { type: DataTypes.TEXT, allowNull: true },
    hostname: str(255),
    project_id: str(255, false),
    user_id: str(255, false),
    vm_state: str(255, false),
    task_state: str(255),
    power_state: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    host: str(255),
    node: str(255),
    launched_on: str(255),
    flavor: jsonText('flavor'),
    instance_type_id: { type: DataTypes.INTEGER, allowNull: true },
    memory_mb: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    vcpus: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    root_gb: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    ephemeral_gb: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    image_ref: { ...str(255, false), defaultValue: '' },
    kernel_id: str(255),
    ramdisk_id: str(255),
    key_name: str(255),
    key_data: { type: DataTypes.TEXT, allowNull: true },
    user_data: { type: DataTypes.TEXT, allowNull: true },
    availability_zone: str(255),
    reservation_id: str(255, false),
    launch_index: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    config_drive: str(255),
    access_ip_v4: str(64),
    access_ip_v6: str(64),
    locked: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    locked_by: str(255),
    progress: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    root_device_name: str(255),
    os_type: str(255),
    architecture: str(255),
    vm_mode: str(255),
    auto_disk_config: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    network_info: jsonText('network_info', []),
    image_meta: jsonText('image_meta', {}),
    launched_at: { type: DataTypes.DATE, allowNull: true },
    terminated_at: { type: DataTypes.DATE, allowNull: true },
    scheduled_at: { type: DataTypes.DATE, allowNull: true },
    deleted_at: { type: DataTypes.DATE, allowNull: true },
    deleted: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  }, { ...common, sequelize, tableName: 'instances', modelName: 'Instance' });

  const kv = { instance_uuid: str(36, false), key: str(255, false), value: { type: DataTypes.TEXT, allowNull: true } };
  InstanceMetadataRow.init({ id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, ...kv },
    { ...common, timestamps: false, sequelize, tableName: 'instance_metadata', modelName: 'InstanceMetadata' });
  InstanceSystemMetadataRow.init({ id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, ...kv },
    { ...common, timestamps: false, sequelize, tableName: 'instance_system_metadata', modelName: 'InstanceSystemMetadata' });
  TagRow.init({
    resource_id: { type: DataTypes.STRING(36), primaryKey: true },
    tag: { type: DataTypes.STRING(80), primaryKey: true },
  }, { ...common, timestamps: false, sequelize, tableName: 'tags', modelName: 'Tag' });

  InstanceFaultRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    instance_uuid: str(36, false),
    code: { type: DataTypes.INTEGER, allowNull: false },
    message: str(255, false),
    details: { type: DataTypes.TEXT, allowNull: true },
    host: str(255),
  }, { ...common, updatedAt: false, sequelize, tableName: 'instance_faults', modelName: 'InstanceFault' });

  InstanceActionRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    action: str(255, false),
    instance_uuid: str(36, false),
    request_id: str(255, false),
    user_id: str(255),
    project_id: str(255),
    start_time: { type: DataTypes.DATE, allowNull: false },
    finish_time: { type: DataTypes.DATE, allowNull: true },
    message: str(255),
  }, { ...common, sequelize, tableName: 'instance_actions', modelName: 'InstanceAction' });

  InstanceActionEventRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    action_id: { type: DataTypes.INTEGER, allowNull: false },
    event: str(255, false),
    start_time: { type: DataTypes.DATE, allowNull: false },
    finish_time: { type: DataTypes.DATE, allowNull: true },
    result: str(255),
    traceback: { type: DataTypes.TEXT, allowNull: true },
    host: str(255),
    details: { type: DataTypes.TEXT, allowNull: true },
  }, { ...common, sequelize, tableName: 'instance_actions_events', modelName: 'InstanceActionEvent' });
}
