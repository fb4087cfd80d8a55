import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { aggregateColumns, aggregateRow } from '../../cli/views/aggregate';
import { Aggregate } from '../../client/compute/aggregates';

export default class AggregateShow extends ClientCommand {
  static summary = 'Show details of the specified aggregate.';
  static aliases = ['aggregate-show'];
  static args = { aggregate: Args.string({ description: 'Name or ID of aggregate.', required: true }) };

  async run(): Promise<Aggregate> {
    const { args, flags } = await this.parse(AggregateShow);
    const nova = await this.connect(flags);
    const agg = await nova.aggregates.get((await nova.aggregates.find(args.aggregate)).id);
    this.printList([aggregateRow(agg)], aggregateColumns(nova.supports('2.41')));
    return agg;
  }
}
