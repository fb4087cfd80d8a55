import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { Service } from '../../client/compute/services';

export default class ServiceList extends ClientCommand {
  static summary = 'Show a list of all running services. Filter by host & binary.';
  static aliases = ['service-list'];
  static flags = {
    host: Flags.string({ description: 'Name of host.' }),
    binary: Flags.string({ description: 'Service binary.' }),
  };

  async run(): Promise<Service[]> {
    const { flags } = await this.parse(ServiceList);
    const nova = await this.connect(flags);
    const services = await nova.services.list({ host: flags.host, binary: flags.binary });
    const columns = ['Id', 'Binary', 'Host', 'Zone', 'Status', 'State', 'Updated_at', 'Disabled Reason'];
    if (nova.supports('2.11')) columns.push('Forced down');
    this.printList(services, columns);
    return services;
  }
}
