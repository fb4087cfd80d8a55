import { DataTypes, Model, Sequelize } from 'sequelize';
import { common, jsonText } from '../types';

export class ServiceRow extends Model {
  declare id: number;
  declare uuid: string;
  declare host: string;
  declare binary: string;
  declare topic: string | null;
  declare report_count: number;
  declare disabled: boolean;
  declare disabled_reason: string | null;
  declare forced_down: boolean;
  declare last_seen_up: Date | null;
  declare version: number;
  declare created_at: Date;
  declare updated_at: Date;
}

export class ComputeNodeRow extends Model {
  declare id: number;
  declare uuid: string;
  declare service_id: number | null;
  declare host: string;
  declare hypervisor_hostname: string;
  declare hypervisor_type: string;
  declare hypervisor_version: number;
  declare host_ip: string | null;
  declare vcpus: number;
  declare vcpus_used: number;
  declare memory_mb: number;
  declare memory_mb_used: number;
  declare local_gb: number;
  declare local_gb_used: number;
  declare free_ram_mb: number;
  declare free_disk_gb: number;
  declare disk_available_least: number | null;
  declare running_vms: number;
  declare current_workload: number;
  declare cpu_info: Record<string, unknown>;
  declare cpu_allocation_ratio: number;
  declare ram_allocation_ratio: number;
  declare disk_allocation_ratio: number;
  declare reserved_host_memory_mb: number;
  declare reserved_host_disk_mb: number;
  declare reserved_host_cpus: number;
  declare stats: Record<string, unknown>;
  declare supported_instances: unknown[];
  declare created_at: Date;
  declare updated_at: Date;
}

export function initServiceModels(sequelize: Sequelize): void {
  ServiceRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    uuid: { type: DataTypes.STRING(36), allowNull: false, unique: true },
    host: { type: DataTypes.STRING(255), allowNull: false },
    binary: { type: DataTypes.STRING(255), allowNull: false },
    topic: { type: DataTypes.STRING(255), allowNull: true },
    report_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    disabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    disabled_reason: { type: DataTypes.STRING(255), allowNull: true },
    forced_down: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    last_seen_up: { type: DataTypes.DATE, allowNull: true },
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
  }, { ...common, sequelize, tableName: 'services', modelName: 'Service' });

  ComputeNodeRow.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    uuid: { type: DataTypes.STRING(36), allowNull: false, unique: true },
    service_id: { type: DataTypes.INTEGER, allowNull: true },
    host: { type: DataTypes.STRING(255), allowNull: false },
    hypervisor_hostname: { type: DataTypes.STRING(255), allowNull: false },
    hypervisor_type: { type: DataTypes.STRING(255), allowNull: false },
    hypervisor_version: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    host_ip: { type: DataTypes.STRING(64), allowNull: true },
    vcpus: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    vcpus_used: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    memory_mb: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    memory_mb_used: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    local_gb: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    local_gb_used: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    free_ram_mb: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    free_disk_gb: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    disk_available_least: { type: DataTypes.INTEGER, allowNull: true },
    running_vms: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    current_workload: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    cpu_info: jsonText('cpu_info', {}),
    cpu_allocation_ratio: { type: DataTypes.FLOAT, allowNull: false, defaultValue: 16 },
    ram_allocation_ratio: { type: DataTypes.FLOAT, allowNull: false, defaultValue: 1.5 },
    disk_allocation_ratio: { type: DataTypes.FLOAT, allowNull: false, defaultValue: 1 },
    reserved_host_memory_mb: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    reserved_host_disk_mb: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    reserved_host_cpus: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    stats: jsonText('stats', {}),
    supported_instances: jsonText('supported_instances', []),
  }, { ...common, sequelize, tableName: 'compute_nodes', modelName: 'ComputeNode' });
}
