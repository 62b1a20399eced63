// Catalogues taken over from the predecessor as data of our own (facts, not code). The defects
// listed in predecessor.md are fixed elsewhere: see countries.ts and referrers.ts.

export const userAgents: readonly string[] = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:117.0) Gecko/20100101 Firefox/117.0",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 14_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0 Mobile/15E148 Safari/604.1"
];

export const searchTerms: readonly string[] = [
  "product",
  "service",
  "contact",
  "about",
  "help",
  "support",
  "pricing",
  "features",
  "login",
  "register",
  "download",
  "documentation",
  "tutorial",
  "guide",
  "faq",
  "news",
  "blog",
  "updates",
  "announcement",
  "release",
  "version",
  "security",
  "privacy",
  "terms",
  "policy",
  "legal",
  "careers",
  "jobs",
  "team",
  "company",
  "analytics",
  "tracking",
  "dashboard",
  "report",
  "statistics",
  "metrics",
  "data"
];

export const searchCategories: readonly string[] = [
  "Products",
  "Support",
  "Documentation"
];

export const outlinks: readonly string[] = [
  "https://github.com",
  "https://stackoverflow.com",
  "https://developer.mozilla.org",
  "https://www.w3.org",
  "https://nodejs.org",
  "https://reactjs.org",
  "https://vuejs.org",
  "https://angular.io",
  "https://jquery.com",
  "https://bootstrap.getbootstrap.com",
  "https://tailwindcss.com",
  "https://fontawesome.com",
  "https://unsplash.com",
  "https://fonts.google.com",
  "https://codepen.io",
  "https://jsfiddle.net",
  "https://wikipedia.org",
  "https://youtube.com",
  "https://twitter.com",
  "https://linkedin.com",
  "https://facebook.com",
  "https://instagram.com",
  "https://reddit.com",
  "https://medium.com",
  "https://dev.to"
];

/** Paths relative to the page's origin. */
export const downloads: readonly string[] = [
  "/downloads/user-manual.pdf",
  "/downloads/getting-started-guide.pdf",
  "/downloads/api-documentation.pdf",
  "/downloads/whitepaper.pdf",
  "/downloads/case-study.pdf",
  "/downloads/technical-specs.pdf",
  "/files/product-brochure.pdf",
  "/files/pricing-sheet.pdf",
  "/assets/company-presentation.pptx",
  "/assets/logo-pack.zip",
  "/downloads/software-v2.1.0.zip",
  "/downloads/mobile-app.apk",
  "/files/dataset.csv",
  "/files/report-2024.xlsx",
  "/downloads/template.docx",
  "/downloads/configuration.json",
  "/files/backup.tar.gz",
  "/downloads/installer.exe",
  "/assets/images.zip",
  "/downloads/source-code.zip"
];

export interface EventEntry {
  category: string;
  action: string;
  name: string;
  value?: number;
}

export const clickEvents: readonly EventEntry[] = [
  {
    "category": "Navigation",
    "action": "Menu Click",
    "name": "Main Menu"
  },
  {
    "category": "Navigation",
    "action": "Button Click",
    "name": "Get Started"
  },
  {
    "category": "Navigation",
    "action": "Link Click",
    "name": "Learn More"
  },
  {
    "category": "UI",
    "action": "Tab Click",
    "name": "Product Features"
  },
  {
    "category": "UI",
    "action": "Accordion Click",
    "name": "FAQ Section"
  },
  {
    "category": "UI",
    "action": "Modal Open",
    "name": "Contact Form"
  },
  {
    "category": "UI",
    "action": "Image Click",
    "name": "Product Gallery"
  },
  {
    "category": "Social",
    "action": "Share Click",
    "name": "Twitter Share"
  },
  {
    "category": "Social",
    "action": "Share Click",
    "name": "Facebook Share"
  },
  {
    "category": "Social",
    "action": "Like Click",
    "name": "Article Like"
  },
  {
    "category": "Form",
    "action": "Submit",
    "name": "Newsletter Signup"
  },
  {
    "category": "Form",
    "action": "Focus",
    "name": "Search Input"
  },
  {
    "category": "Video",
    "action": "Play",
    "name": "Tutorial Video"
  },
  {
    "category": "Video",
    "action": "Pause",
    "name": "Product Demo"
  },
  {
    "category": "CTA",
    "action": "Click",
    "name": "Free Trial"
  },
  {
    "category": "CTA",
    "action": "Click",
    "name": "Request Quote"
  }
];

export const randomEvents: readonly EventEntry[] = [
  {
    "category": "Engagement",
    "action": "Scroll",
    "name": "Page Bottom",
    "value": 100
  },
  {
    "category": "Engagement",
    "action": "Time on Page",
    "name": "Long Read",
    "value": 300
  },
  {
    "category": "Performance",
    "action": "Load Time",
    "name": "Page Load",
    "value": 1200
  },
  {
    "category": "Error",
    "action": "404 Error",
    "name": "Broken Link"
  },
  {
    "category": "Error",
    "action": "Form Error",
    "name": "Validation Failed"
  },
  {
    "category": "Feature",
    "action": "Tool Usage",
    "name": "Calculator",
    "value": 1
  },
  {
    "category": "Feature",
    "action": "Filter Applied",
    "name": "Product Filter"
  },
  {
    "category": "Feature",
    "action": "Sort Applied",
    "name": "Price Sort"
  },
  {
    "category": "Content",
    "action": "Print",
    "name": "Article Print"
  },
  {
    "category": "Content",
    "action": "Bookmark",
    "name": "Page Bookmark"
  },
  {
    "category": "Mobile",
    "action": "Swipe",
    "name": "Image Gallery"
  },
  {
    "category": "Mobile",
    "action": "Tap",
    "name": "Phone Number"
  },
  {
    "category": "Analytics",
    "action": "Conversion",
    "name": "Goal Complete",
    "value": 50
  },
  {
    "category": "Analytics",
    "action": "Exit Intent",
    "name": "Modal Trigger"
  },
  {
    "category": "User",
    "action": "Login",
    "name": "User Login"
  },
  {
    "category": "User",
    "action": "Logout",
    "name": "User Logout"
  }
];

export interface ProductEntry {
  sku: string;
  name: string;
  category: string;
  /** Catalogue price in cents (exact integer arithmetic; never scaled). */
  priceCents: number;
}

export const products: readonly ProductEntry[] = [
  {
    "sku": "PHONE-001",
    "name": "Smartphone Pro Max",
    "category": "Electronics",
    "priceCents": 89999
  },
  {
    "sku": "PHONE-002",
    "name": "Budget Smartphone",
    "category": "Electronics",
    "priceCents": 19999
  },
  {
    "sku": "LAPTOP-001",
    "name": "Gaming Laptop",
    "category": "Electronics",
    "priceCents": 129999
  },
  {
    "sku": "LAPTOP-002",
    "name": "Business Laptop",
    "category": "Electronics",
    "priceCents": 74999
  },
  {
    "sku": "TABLET-001",
    "name": "Pro Tablet 11\"",
    "category": "Electronics",
    "priceCents": 59999
  },
  {
    "sku": "TABLET-002",
    "name": "Basic Tablet",
    "category": "Electronics",
    "priceCents": 14999
  },
  {
    "sku": "HEADPHONE-001",
    "name": "Wireless Headphones",
    "category": "Electronics",
    "priceCents": 24999
  },
  {
    "sku": "HEADPHONE-002",
    "name": "Gaming Headset",
    "category": "Electronics",
    "priceCents": 8999
  },
  {
    "sku": "CAMERA-001",
    "name": "Digital Camera",
    "category": "Electronics",
    "priceCents": 54999
  },
  {
    "sku": "WATCH-001",
    "name": "Smart Watch",
    "category": "Electronics",
    "priceCents": 29999
  },
  {
    "sku": "SHIRT-001",
    "name": "Cotton T-Shirt",
    "category": "Clothing",
    "priceCents": 1999
  },
  {
    "sku": "SHIRT-002",
    "name": "Polo Shirt",
    "category": "Clothing",
    "priceCents": 3999
  },
  {
    "sku": "PANTS-001",
    "name": "Jeans",
    "category": "Clothing",
    "priceCents": 5999
  },
  {
    "sku": "PANTS-002",
    "name": "Chinos",
    "category": "Clothing",
    "priceCents": 4999
  },
  {
    "sku": "SHOE-001",
    "name": "Running Shoes",
    "category": "Clothing",
    "priceCents": 8999
  },
  {
    "sku": "SHOE-002",
    "name": "Casual Sneakers",
    "category": "Clothing",
    "priceCents": 6999
  },
  {
    "sku": "JACKET-001",
    "name": "Winter Jacket",
    "category": "Clothing",
    "priceCents": 12999
  },
  {
    "sku": "DRESS-001",
    "name": "Summer Dress",
    "category": "Clothing",
    "priceCents": 7999
  },
  {
    "sku": "SWEATER-001",
    "name": "Wool Sweater",
    "category": "Clothing",
    "priceCents": 8999
  },
  {
    "sku": "HAT-001",
    "name": "Baseball Cap",
    "category": "Clothing",
    "priceCents": 2499
  },
  {
    "sku": "BOOK-001",
    "name": "Programming Guide",
    "category": "Books",
    "priceCents": 4599
  },
  {
    "sku": "BOOK-002",
    "name": "Mystery Novel",
    "category": "Books",
    "priceCents": 1299
  },
  {
    "sku": "BOOK-003",
    "name": "Cook Book",
    "category": "Books",
    "priceCents": 2999
  },
  {
    "sku": "BOOK-004",
    "name": "Science Textbook",
    "category": "Books",
    "priceCents": 8999
  },
  {
    "sku": "BOOK-005",
    "name": "Biography",
    "category": "Books",
    "priceCents": 1999
  },
  {
    "sku": "BOOK-006",
    "name": "Art History",
    "category": "Books",
    "priceCents": 5999
  },
  {
    "sku": "BOOK-007",
    "name": "Travel Guide",
    "category": "Books",
    "priceCents": 2499
  },
  {
    "sku": "BOOK-008",
    "name": "Business Strategy",
    "category": "Books",
    "priceCents": 3499
  },
  {
    "sku": "EBOOK-001",
    "name": "Digital Marketing (eBook)",
    "category": "Books",
    "priceCents": 999
  },
  {
    "sku": "EBOOK-002",
    "name": "Fiction Collection (eBook)",
    "category": "Books",
    "priceCents": 799
  },
  {
    "sku": "FURNITURE-001",
    "name": "Office Chair",
    "category": "Home & Garden",
    "priceCents": 19999
  },
  {
    "sku": "FURNITURE-002",
    "name": "Desk Lamp",
    "category": "Home & Garden",
    "priceCents": 4999
  },
  {
    "sku": "APPLIANCE-001",
    "name": "Coffee Maker",
    "category": "Home & Garden",
    "priceCents": 8999
  },
  {
    "sku": "APPLIANCE-002",
    "name": "Blender",
    "category": "Home & Garden",
    "priceCents": 6999
  },
  {
    "sku": "TOOL-001",
    "name": "Drill Set",
    "category": "Home & Garden",
    "priceCents": 7999
  },
  {
    "sku": "TOOL-002",
    "name": "Screwdriver Kit",
    "category": "Home & Garden",
    "priceCents": 2999
  },
  {
    "sku": "GARDEN-001",
    "name": "Plant Pot Set",
    "category": "Home & Garden",
    "priceCents": 3999
  },
  {
    "sku": "GARDEN-002",
    "name": "Garden Hose",
    "category": "Home & Garden",
    "priceCents": 3499
  },
  {
    "sku": "DECOR-001",
    "name": "Wall Art",
    "category": "Home & Garden",
    "priceCents": 5999
  },
  {
    "sku": "STORAGE-001",
    "name": "Storage Box",
    "category": "Home & Garden",
    "priceCents": 2499
  },
  {
    "sku": "SPORT-001",
    "name": "Yoga Mat",
    "category": "Sports",
    "priceCents": 2999
  },
  {
    "sku": "SPORT-002",
    "name": "Dumbbells Set",
    "category": "Sports",
    "priceCents": 8999
  },
  {
    "sku": "SPORT-003",
    "name": "Tennis Racket",
    "category": "Sports",
    "priceCents": 11999
  },
  {
    "sku": "SPORT-004",
    "name": "Basketball",
    "category": "Sports",
    "priceCents": 3499
  },
  {
    "sku": "SPORT-005",
    "name": "Running Shorts",
    "category": "Sports",
    "priceCents": 2499
  },
  {
    "sku": "SPORT-006",
    "name": "Athletic T-Shirt",
    "category": "Sports",
    "priceCents": 1999
  },
  {
    "sku": "SPORT-007",
    "name": "Water Bottle",
    "category": "Sports",
    "priceCents": 1499
  },
  {
    "sku": "SPORT-008",
    "name": "Gym Bag",
    "category": "Sports",
    "priceCents": 3999
  },
  {
    "sku": "SPORT-009",
    "name": "Resistance Bands",
    "category": "Sports",
    "priceCents": 1999
  },
  {
    "sku": "SPORT-010",
    "name": "Fitness Tracker",
    "category": "Sports",
    "priceCents": 14999
  }
];

/** Weights of 1, 2, 3, 4, 5 items per order (more items continue the geometric tail). */
export const itemCountWeights: readonly number[] = [
  0.6,
  0.25,
  0.1,
  0.04,
  0.01
];
