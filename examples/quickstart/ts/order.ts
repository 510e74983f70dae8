import { Integer, Model, belongsTo, column } from '@retort/core'
import { User } from './user.js'

export class Order extends Model<Order>('orders') {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'users.id', name: 'user_id', nullable: false }) accessor userId!: number
  @column(Integer, { nullable: false }) accessor total!: number
  @belongsTo(() => User, { backPopulates: 'orders' }) accessor user!: User | null
}
