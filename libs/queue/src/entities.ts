import { OutboxMessageEntity } from './outbox-message.entity';

export const queueEntities = [OutboxMessageEntity];
