import { Integer, Model, Text, column, hasMany } from '@retort/core'
import { Order } from './order.js'

// Decorator style: the two models point at each other across two files.
export class User extends Model<User>('users') {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text, { nullable: false }) accessor name!: string
  @hasMany(() => Order, { backPopulates: 'user', orderBy: () => Order.c.id }) accessor orders!: Order[]
}
