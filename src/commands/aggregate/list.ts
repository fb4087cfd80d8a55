import { ClientCommand } from '../../cli/client_command';
import { aggregateColumns, aggregateRow } from '../../cli/views/aggregate';
import { Aggregate } from '../../client/compute/aggregates';

export default class AggregateList extends ClientCommand {
  static summary = 'Print a list of all aggregates.';
  static aliases = ['aggregate-list'];

  async run(): Promise<Aggregate[]> {
    const { flags } = await this.parse(AggregateList);
    const nova = await this.connect(flags);
    const list = await nova.aggregates.list();
    this.printList(list.map(aggregateRow), aggregateColumns(nova.supports('2.41')));
    return list;
  }
}
