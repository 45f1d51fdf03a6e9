/** The demo shop that `npm start` loads into an empty mall and `npm run seed` loads anywhere. */

export const DEMO_ADMIN = { name: 'Mall Admin', gender: 0, mobile: '13800000000', password: 'admin-demo-123' };
export const DEMO_USER = { name: 'Demo Shopper', gender: 2, mobile: '13800000001', password: 'shopper-demo-123' };

export interface DemoProduct {
  name: string;
  desc: string;
  /** A demo category's name (DEMO_CATEGORIES): the product is filed there by its id. */
  category: string;
  images?: string[];
  amount: number;
  stock: number;
  stock_shards?: number;
  comments?: string[];
}

/** The category tree, two levels; products name their category, the seed files them by its id. */
export const DEMO_CATEGORIES: Array<{ name: string; sort: number; children?: Array<{ name: string; sort: number }> }> = [
  {
    name: 'electronics',
    sort: 1,
    children: [
      { name: 'phones', sort: 1 },
      { name: 'audio', sort: 2 },
    ],
  },
  { name: 'books', sort: 2 },
  { name: 'food', sort: 3 },
];

export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    name: 'Aurora X1 Phone',
    desc: '6.1" OLED, 128 GB',
    category: 'phones',
    images: ['https://example.com/products/aurora-x1.png', 'https://example.com/products/aurora-x1-back.png'],
    amount: 399_900,
    stock: 120,
    comments: ['Fast and light.', 'Battery lasts two days.'],
  },
  { name: 'Aurora X1 Pro Phone', desc: '6.7" OLED, 256 GB, three cameras', category: 'phones', amount: 599_900, stock: 80 },
  {
    name: 'Pocket Lite Phone',
    desc: 'A small phone with a big battery',
    category: 'phones',
    amount: 149_900,
    stock: 300,
    comments: ['Great value.'],
  },
  {
    name: 'Flash Deal Earbuds',
    desc: 'Wireless earbuds, the flash-sale item',
    category: 'audio',
    amount: 9_900,
    stock: 500,
    stock_shards: 8,
    comments: ['Got them in the flash sale!'],
  },
  { name: 'Studio Headphones', desc: 'Closed-back, 40 mm drivers', category: 'audio', amount: 89_900, stock: 40 },
  {
    name: 'Go Microservices in Ten Days',
    desc: 'The go-zero mall, chapter by chapter',
    category: 'books',
    amount: 5_900,
    stock: 200,
    comments: ['Clear and practical.'],
  },
  { name: 'Designing Data-Intensive Applications', desc: 'Reliable, scalable, maintainable', category: 'books', amount: 8_900, stock: 150 },
  { name: 'Serverless Patterns', desc: 'Sagas, events and idempotency on AWS', category: 'books', amount: 6_900, stock: 90 },
  { name: 'Green Tea, 100 bags', desc: 'Spring harvest', category: 'food', amount: 2_500, stock: 1_000 },
  { name: 'Dark Chocolate Bar', desc: '70% cocoa', category: 'food', amount: 1_200, stock: 800, comments: ['Not too sweet.'] },
];

export const DEMO_BANNERS = [
  {
    title: 'Welcome to the serverless mall',
    image_url: 'https://example.com/banners/welcome.png',
    link_url: '/api/home/recommend',
    sort: 1,
  },
  { title: 'Flash sale: earbuds for 99.00', image_url: 'https://example.com/banners/flash.png', link_url: '/api/home/flashsale', sort: 2 },
];

/** The flash sale starts this long after the demo is loaded. */
export const DEMO_FLASH_SALE_DELAY_SECONDS = 3600;
export const DEMO_FLASH_SALE_PRODUCTS = ['Flash Deal Earbuds', 'Pocket Lite Phone'];
