/**
 * The default campaign mix: what a small company's marketing typically runs. `weight` is the share
 * among campaign landings; keywords and contents are picked at random when listed.
 */
export interface CampaignEntry {
  name: string;
  source: string;
  medium: string;
  weight: number;
  keywords?: readonly string[];
  contents?: readonly string[];
}

export const defaultCampaigns: readonly CampaignEntry[] = [
  { name: 'spring-sale', source: 'newsletter', medium: 'email', weight: 30, contents: ['header-banner', 'footer-link', 'hero-image'] },
  { name: 'brand-search', source: 'google', medium: 'cpc', weight: 25, keywords: ['analytics software', 'web analytics', 'privacy analytics', 'matomo hosting'] },
  { name: 'product-launch', source: 'linkedin', medium: 'social', weight: 15, contents: ['video', 'carousel'] },
  { name: 'retargeting', source: 'facebook', medium: 'paid-social', weight: 12, contents: ['cart-reminder', 'product-ad'] },
  { name: 'partner-webinar', source: 'partner-site', medium: 'referral', weight: 10 },
  { name: 'black-friday', source: 'bing', medium: 'cpc', weight: 8, keywords: ['analytics deal', 'web stats discount'] },
];
