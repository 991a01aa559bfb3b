import type { LessonRecord } from '../catalog/lesson-record.ts';
import { stageOfGrade, subjectRank, type StageCode } from '../catalog/subjects.ts';

/**
 * The sample curriculum: first-semester (上册) courses for grades 1–12 with the real subject mix of the
 * 2022 compulsory-education plan and the senior-high core subjects, Chinese unit and lesson titles with
 * English translations, in textbook order. Pure data and functions: no I/O, no clock.
 *
 * Tables are written compactly: `zh|en`. A unit lists its lessons, or a number of periods when lessons
 * are taught as numbered periods of the unit (as 空中课堂 maths and science were): 「…（第1课时）」.
 */

type UnitSpec = readonly [title: string, lessons: readonly string[] | number];

interface CourseSpec {
  grade: number;
  subject: string;
  edition: string;
  units: readonly UnitSpec[];
}

const u = (title: string, lessons: readonly string[] | number): UnitSpec => [title, lessons];

/** 语文 三年级上册 (统编): 8 units, 26 lessons. */
const CHINESE_G3: readonly UnitSpec[] = [
  u('第一单元 学校生活|Unit 1 School Life', [
    '大青树下的小学|The Primary School under the Big Banyan Tree',
    '花的学校|The Flower School',
    '不懂就要问|Ask When You Do Not Understand',
  ]),
  u('第二单元 金秋时节|Unit 2 Golden Autumn', [
    '古诗三首|Three Ancient Poems',
    '铺满金色巴掌的水泥道|A Road Covered with Golden Palms',
    '秋天的雨|Autumn Rain',
    '听听，秋的声音|Listen to the Sounds of Autumn',
  ]),
  u('第三单元 童话世界|Unit 3 The World of Fairy Tales', [
    '去年的树|The Tree of Last Year',
    '那一定会很好|That Must Be Wonderful',
    '在牛肚子里旅行|A Journey inside a Cow',
    '一块奶酪|A Piece of Cheese',
  ]),
  u('第四单元 预测|Unit 4 Making Predictions', [
    '总也倒不了的老屋|The Old House That Never Falls',
    '胡萝卜先生的长胡子|Mr Carrot’s Long Beard',
    '小狗学叫|The Puppy Learns to Bark',
  ]),
  u('第五单元 观察|Unit 5 Observation', ['搭船的鸟|The Bird on the Boat', '金色的草地|The Golden Meadow']),
  u('第六单元 祖国河山|Unit 6 Our Country’s Landscapes', [
    '古诗三首|Three Ancient Poems',
    '富饶的西沙群岛|The Rich Xisha Islands',
    '海滨小城|A Small Seaside Town',
    '美丽的小兴安岭|The Beautiful Lesser Khingan Mountains',
  ]),
  u('第七单元 我与自然|Unit 7 Nature and Me', [
    '大自然的声音|The Sounds of Nature',
    '父亲、树林和鸟|Father, the Woods and the Birds',
    '带刺的朋友|A Prickly Friend',
  ]),
  u('第八单元 美好品质|Unit 8 Fine Qualities', [
    '司马光|Sima Guang',
    '灰雀|The Grey Sparrows',
    '手术台就是阵地|The Operating Table Is My Battlefield',
  ]),
];

const CHINESE: Record<number, readonly UnitSpec[]> = {
  1: [
    u('识字（一）|Learning Characters 1', [
      '天地人|Heaven, Earth and People',
      '金木水火土|Metal, Wood, Water, Fire, Earth',
      '口耳目|Mouth, Ear and Eye',
      '日月水火|Sun, Moon, Water and Fire',
    ]),
    u('汉语拼音|Pinyin', ['a o e|a o e', 'i u ü y w|i u ü y w', 'b p m f|b p m f', 'd t n l|d t n l']),
    u('课文（一）|Texts 1', [
      '秋天|Autumn',
      '小小的船|The Little Boat',
      '江南|South of the River',
      '四季|The Four Seasons',
    ]),
    u('识字（二）|Learning Characters 2', [
      '画|A Painting',
      '大小多少|Big, Small, Many, Few',
      '小书包|My Little Schoolbag',
    ]),
  ],
  2: [
    u('第一单元 自然|Unit 1 Nature', [
      '小蝌蚪找妈妈|Little Tadpoles Look for Their Mother',
      '我是什么|What Am I?',
      '植物妈妈有办法|Mother Plants Have Their Ways',
    ]),
    u('第二单元 识字|Unit 2 Characters', [
      '场景歌|Song of Scenes',
      '树之歌|Song of Trees',
      '拍手歌|Clapping Song',
      '田家四季歌|Farmers’ Song of the Seasons',
    ]),
    u('第三单元 儿童生活|Unit 3 Children’s Life', [
      '曹冲称象|Cao Chong Weighs the Elephant',
      '玲玲的画|Lingling’s Painting',
      '一封信|A Letter',
    ]),
    u('第四单元 家乡|Unit 4 Hometown', [
      '古诗二首|Two Ancient Poems',
      '黄山奇石|The Strange Rocks of Huangshan',
      '日月潭|Sun Moon Lake',
    ]),
  ],
  3: CHINESE_G3,
  4: [
    u('第一单元 自然之美|Unit 1 The Beauty of Nature', [
      '观潮|Watching the Tidal Bore',
      '走月亮|Walking in the Moonlight',
      '现代诗二首|Two Modern Poems',
    ]),
    u('第二单元 提问|Unit 2 Asking Questions', [
      '一个豆荚里的五粒豆|Five Peas in a Pod',
      '夜间飞行的秘密|The Secret of Flying at Night',
      '呼风唤雨的世纪|The Century of Calling the Wind and Rain',
    ]),
    u('第三单元 观察|Unit 3 Observation', [
      '古诗三首|Three Ancient Poems',
      '爬山虎的脚|The Feet of the Creeper',
      '蟋蟀的住宅|The Cricket’s Home',
    ]),
    u('第四单元 神话|Unit 4 Myths', [
      '盘古开天地|Pangu Separates Heaven and Earth',
      '精卫填海|Jingwei Fills the Sea',
      '女娲补天|Nüwa Mends the Sky',
    ]),
  ],
  5: [
    u('第一单元 万物有灵|Unit 1 Everything Has a Soul', [
      '白鹭|The Egret',
      '落花生|Peanuts',
      '桂花雨|Osmanthus Rain',
      '珍珠鸟|The Pearl Bird',
    ]),
    u('第二单元 阅读速度|Unit 2 Reading Speed', [
      '搭石|Stepping Stones',
      '将相和|The General and the Minister',
      '什么比猎豹的速度更快|What Is Faster than a Cheetah?',
    ]),
    u('第三单元 民间故事|Unit 3 Folk Tales', [
      '猎人海力布|Hailibu the Hunter',
      '牛郎织女（一）|The Cowherd and the Weaver Girl (1)',
      '牛郎织女（二）|The Cowherd and the Weaver Girl (2)',
    ]),
    u('第四单元 爱国情怀|Unit 4 Love of the Motherland', [
      '古诗三首|Three Ancient Poems',
      '少年中国说（节选）|Ode to Young China (excerpt)',
      '圆明园的毁灭|The Destruction of the Old Summer Palace',
    ]),
  ],
  6: [
    u('第一单元 触摸自然|Unit 1 Touching Nature', [
      '草原|The Grassland',
      '丁香结|Lilac Knots',
      '古诗词三首|Three Classical Poems',
      '花之歌|Song of the Flowers',
    ]),
    u('第二单元 革命岁月|Unit 2 Revolutionary Years', [
      '七律·长征|The Long March (poem)',
      '狼牙山五壮士|The Five Heroes of Langya Mountain',
      '开国大典|The Founding Ceremony',
    ]),
    u('第三单元 有目的地阅读|Unit 3 Reading with a Purpose', [
      '竹节人|The Bamboo Figure',
      '宇宙生命之谜|The Mystery of Life in the Universe',
      '故宫博物院|The Palace Museum',
    ]),
    u('第四单元 小说|Unit 4 Fiction', ['桥|The Bridge', '穷人|The Poor', '在柏林|In Berlin']),
  ],
  7: [
    u('第一单元 四季美景|Unit 1 Scenes of the Seasons', [
      '春|Spring',
      '济南的冬天|Winter in Jinan',
      '雨的四季|Rain in Four Seasons',
      '古代诗歌四首|Four Classical Poems',
    ]),
    u('第二单元 亲情|Unit 2 Family Love', [
      '秋天的怀念|Remembering Autumn',
      '散步|A Walk',
      '散文诗二首|Two Prose Poems',
      '《世说新语》二则|Two Tales from A New Account of the Tales of the World',
    ]),
    u('第三单元 学习生活|Unit 3 School Life', [
      '从百草园到三味书屋|From the Hundred-Plant Garden to Sanwei Study',
      '再塑生命的人|The One Who Reshaped My Life',
      '《论语》十二章|Twelve Passages from the Analects',
    ]),
  ],
  8: [
    u('第一单元 新闻|Unit 1 News', [
      '消息二则|Two News Reports',
      '首届诺贝尔奖颁发|The First Nobel Prizes',
      '“飞天”凌空|Soaring into the Sky',
    ]),
    u('第二单元 回忆性散文|Unit 2 Memoirs', [
      '藤野先生|Mr Fujino',
      '回忆我的母亲|Remembering My Mother',
      '列夫·托尔斯泰|Leo Tolstoy',
    ]),
    u('第三单元 山川美景|Unit 3 Mountains and Rivers', [
      '三峡|The Three Gorges',
      '短文二篇|Two Short Essays',
      '与朱元思书|A Letter to Zhu Yuansi',
    ]),
  ],
  9: [
    u('第一单元 诗歌|Unit 1 Poetry', [
      '沁园春·雪|Snow (to the tune of Qin Yuan Chun)',
      '我爱这土地|I Love This Land',
      '乡愁|Homesickness',
    ]),
    u('第二单元 议论文|Unit 2 Argumentative Essays', [
      '敬业与乐业|Devotion to and Joy in Work',
      '就英法联军远征中国致巴特勒上尉的信|Letter to Captain Butler',
      '论教养|On Good Breeding',
    ]),
    u('第三单元 古诗文|Unit 3 Classical Prose', [
      '岳阳楼记|The Yueyang Tower',
      '醉翁亭记|The Old Drunkard’s Pavilion',
      '湖心亭看雪|Watching Snow from the Lake Pavilion',
    ]),
  ],
  10: [
    u('第一单元 青春激扬|Unit 1 Youth', [
      '沁园春·长沙|Changsha (to the tune of Qin Yuan Chun)',
      '立在地球边上放号|Shouting on the Edge of the Earth',
      '百合花|The Lily',
    ]),
    u('第二单元 劳动光荣|Unit 2 The Glory of Work', [
      '喜看稻菽千重浪|Joyful Waves of Rice',
      '心有一团火，温暖众人心|A Fire in the Heart',
      '芣苢|Plantain (Book of Songs)',
    ]),
    u('第三单元 生命的诗意|Unit 3 The Poetry of Life', [
      '短歌行|A Short Song',
      '归园田居（其一）|Returning to the Fields',
      '登高|Climbing High',
    ]),
  ],
  11: [
    u('第一单元 中华文明之光|Unit 1 The Light of Chinese Civilisation', [
      '《论语》十二章|Twelve Passages from the Analects',
      '大学之道|The Way of Great Learning',
      '人皆有不忍人之心|Every Person Has a Compassionate Heart',
    ]),
    u('第二单元 良知与悲悯|Unit 2 Conscience and Compassion', [
      '窦娥冤（节选）|The Injustice to Dou E (excerpt)',
      '雷雨（节选）|Thunderstorm (excerpt)',
      '哈姆莱特（节选）|Hamlet (excerpt)',
    ]),
  ],
  12: [
    u('第一单元 实践与创新|Unit 1 Practice and Innovation', [
      '改造我们的学习|Reform Our Study',
      '人的正确思想是从哪里来的？|Where Do Correct Ideas Come From?',
      '修辞立其诚|Sincerity in Rhetoric',
    ]),
    u('第二单元 复习与写作|Unit 2 Review and Writing', [
      '议论文写作：观点与论据|Argument Writing: Claims and Evidence',
      '议论文写作：结构|Argument Writing: Structure',
      '记叙文写作：细节|Narrative Writing: Detail',
    ]),
  ],
};

const MATH: Record<number, readonly UnitSpec[]> = {
  1: [
    u('准备课|Getting Ready', 2),
    u('位置|Position', 2),
    u('1～5的认识和加减法|Numbers 1–5, Adding and Subtracting', 3),
    u('认识图形（一）|Shapes 1', 2),
    u('6～10的认识和加减法|Numbers 6–10, Adding and Subtracting', 3),
  ],
  2: [
    u('长度单位|Units of Length', 2),
    u('100以内的加法和减法（二）|Adding and Subtracting within 100 (2)', 3),
    u('角的初步认识|Angles', 2),
    u('表内乘法（一）|Times Tables 1', 3),
  ],
  3: [
    u('时、分、秒|Hours, Minutes and Seconds', 2),
    u('万以内的加法和减法（一）|Adding and Subtracting within 10,000 (1)', 2),
    u('测量|Measurement', 2),
    u('倍的认识|Times as Many', 2),
    u('分数的初步认识|Introducing Fractions', 3),
  ],
  4: [
    u('大数的认识|Large Numbers', 3),
    u('公顷和平方千米|Hectares and Square Kilometres', 1),
    u('角的度量|Measuring Angles', 2),
    u('三位数乘两位数|Three-Digit by Two-Digit Multiplication', 2),
    u('平行四边形和梯形|Parallelograms and Trapezoids', 2),
  ],
  5: [
    u('小数乘法|Multiplying Decimals', 3),
    u('位置|Position on a Grid', 1),
    u('小数除法|Dividing Decimals', 3),
    u('可能性|Probability', 1),
    u('简易方程|Simple Equations', 3),
  ],
  6: [
    u('分数乘法|Multiplying Fractions', 3),
    u('位置与方向（二）|Position and Direction (2)', 1),
    u('分数除法|Dividing Fractions', 3),
    u('比|Ratio', 2),
    u('圆|The Circle', 3),
  ],
  7: [
    u('第一章 有理数|Chapter 1 Rational Numbers', 3),
    u('第二章 有理数的运算|Chapter 2 Operations with Rational Numbers', 3),
    u('第三章 代数式|Chapter 3 Algebraic Expressions', 2),
    u('第四章 整式的加减|Chapter 4 Adding and Subtracting Polynomials', 2),
  ],
  8: [
    u('第十一章 三角形|Chapter 11 Triangles', 3),
    u('第十二章 全等三角形|Chapter 12 Congruent Triangles', 3),
    u('第十三章 轴对称|Chapter 13 Reflective Symmetry', 3),
    u('第十四章 整式的乘法与因式分解|Chapter 14 Multiplying and Factorising Polynomials', 3),
  ],
  9: [
    u('第二十一章 一元二次方程|Chapter 21 Quadratic Equations', 3),
    u('第二十二章 二次函数|Chapter 22 Quadratic Functions', 3),
    u('第二十三章 旋转|Chapter 23 Rotation', 2),
    u('第二十四章 圆|Chapter 24 Circles', 3),
  ],
  10: [
    u('第一章 集合与常用逻辑用语|Chapter 1 Sets and Logic', 3),
    u('第二章 一元二次函数、方程和不等式|Chapter 2 Quadratic Functions, Equations and Inequalities', 3),
    u('第三章 函数的概念与性质|Chapter 3 Functions and Their Properties', 3),
  ],
  11: [
    u('第一章 空间向量与立体几何|Chapter 1 Vectors in Space and Solid Geometry', 3),
    u('第二章 直线和圆的方程|Chapter 2 Equations of Lines and Circles', 3),
    u('第三章 圆锥曲线的方程|Chapter 3 Conic Sections', 3),
  ],
  12: [
    u('第六章 计数原理|Chapter 6 Counting Principles', 2),
    u('第七章 随机变量及其分布|Chapter 7 Random Variables and Distributions', 3),
    u('第八章 成对数据的统计分析|Chapter 8 Statistics of Paired Data', 2),
  ],
};

const ENGLISH: Record<number, readonly UnitSpec[]> = {
  3: [
    u('Unit 1 Hello!|Unit 1 Hello!', 2),
    u('Unit 2 Colours|Unit 2 Colours', 2),
    u('Unit 3 Look at me!|Unit 3 Look at Me!', 2),
    u('Unit 4 We love animals|Unit 4 We Love Animals', 2),
  ],
  4: [
    u('Unit 1 My classroom|Unit 1 My Classroom', 2),
    u('Unit 2 My schoolbag|Unit 2 My Schoolbag', 2),
    u('Unit 3 My friends|Unit 3 My Friends', 2),
    u('Unit 4 My home|Unit 4 My Home', 2),
  ],
  5: [
    u('Unit 1 What’s he like?|Unit 1 What’s He Like?', 2),
    u('Unit 2 My week|Unit 2 My Week', 2),
    u('Unit 3 What would you like?|Unit 3 What Would You Like?', 2),
    u('Unit 4 What can you do?|Unit 4 What Can You Do?', 2),
  ],
  6: [
    u('Unit 1 How can I get there?|Unit 1 How Can I Get There?', 2),
    u('Unit 2 Ways to go to school|Unit 2 Ways to Go to School', 2),
    u('Unit 3 My weekend plan|Unit 3 My Weekend Plan', 2),
    u('Unit 4 I have a pen pal|Unit 4 I Have a Pen Pal', 2),
  ],
  7: [
    u('Starter Unit 1 Hello!|Starter Unit 1 Hello!', 2),
    u('Unit 1 You and Me|Unit 1 You and Me', 2),
    u('Unit 2 We’re Family!|Unit 2 We’re Family!', 2),
    u('Unit 3 My School|Unit 3 My School', 2),
  ],
  8: [
    u('Unit 1 Where did you go on vacation?|Unit 1 Where Did You Go on Vacation?', 2),
    u('Unit 2 How often do you exercise?|Unit 2 How Often Do You Exercise?', 2),
    u('Unit 3 I’m more outgoing than my sister.|Unit 3 Comparing People', 2),
  ],
  9: [
    u('Unit 1 How can we become good learners?|Unit 1 How Can We Become Good Learners?', 2),
    u('Unit 2 I think that mooncakes are delicious!|Unit 2 Festivals', 2),
    u('Unit 3 Could you please tell me where the restrooms are?|Unit 3 Polite Requests', 2),
  ],
  10: [
    u('Welcome Unit|Welcome Unit', 2),
    u('Unit 1 Teenage Life|Unit 1 Teenage Life', 2),
    u('Unit 2 Travelling Around|Unit 2 Travelling Around', 2),
    u('Unit 3 Sports and Fitness|Unit 3 Sports and Fitness', 2),
  ],
  11: [
    u('Unit 1 Cultural Heritage|Unit 1 Cultural Heritage', 2),
    u('Unit 2 Wildlife Protection|Unit 2 Wildlife Protection', 2),
    u('Unit 3 The Internet|Unit 3 The Internet', 2),
  ],
  12: [
    u('Unit 1 Science and Scientists|Unit 1 Science and Scientists', 2),
    u('Unit 2 Looking into the Future|Unit 2 Looking into the Future', 2),
    u('Unit 3 Environmental Protection|Unit 3 Environmental Protection', 2),
  ],
};

const MORALITY: Record<number, readonly UnitSpec[]> = {
  1: [
    u('第一单元 我是小学生啦|Unit 1 I Am a Pupil Now', [
      '开开心心上学去|Happy to Go to School',
      '拉拉手，交朋友|Hold Hands, Make Friends',
    ]),
    u('第二单元 校园生活真快乐|Unit 2 School Life Is Fun', ['我们的校园|Our School', '上课了|Class Begins']),
  ],
  2: [
    u('第一单元 我们的节假日|Unit 1 Our Holidays', [
      '假期有收获|A Fruitful Holiday',
      '周末巧安排|Planning the Weekend',
    ]),
    u('第二单元 我们的班级|Unit 2 Our Class', ['我们的班级|Our Class', '我爱我们班|I Love Our Class']),
  ],
  3: [
    u('第一单元 快乐学习|Unit 1 Happy Learning', [
      '学习伴我成长|Learning Helps Me Grow',
      '我学习，我快乐|I Learn, I Am Happy',
    ]),
    u('第二单元 我们的学校|Unit 2 Our School', ['我们的学校|Our School', '说说我们的学校|Talking about Our School']),
  ],
  4: [
    u('第一单元 与班级共成长|Unit 1 Growing with the Class', [
      '我们班 四岁了|Our Class Is Four',
      '我们的班规我们订|We Make Our Class Rules',
    ]),
    u('第二单元 为父母分担|Unit 2 Helping Our Parents', [
      '这些事我来做|I Will Do These Jobs',
      '少让父母为我操心|Worrying Our Parents Less',
    ]),
  ],
  5: [
    u('第一单元 面对成长中的新问题|Unit 1 New Problems as We Grow', [
      '自主选择课余生活|Choosing After-School Activities',
      '协商决定班级事务|Deciding Class Matters Together',
    ]),
    u('第二单元 我们是班级的主人|Unit 2 We Own Our Class', [
      '我们的班委选举|Electing the Class Committee',
      '建立良好的公共秩序|Good Public Order',
    ]),
  ],
  6: [
    u('第一单元 我们的守护者|Unit 1 Our Guardians', [
      '感受生活中的法律|Law in Everyday Life',
      '宪法是根本法|The Constitution Is the Fundamental Law',
    ]),
    u('第二单元 我们是公民|Unit 2 We Are Citizens', [
      '公民意味着什么|What Being a Citizen Means',
      '公民的基本权利和义务|Citizens’ Basic Rights and Duties',
    ]),
  ],
  7: [
    u('第一单元 少年有梦|Unit 1 Young People Have Dreams', [
      '开启初中生活|Starting Junior High',
      '少年有梦|Dreams of the Young',
    ]),
    u('第二单元 友谊的天空|Unit 2 The Sky of Friendship', [
      '和朋友在一起|With Friends',
      '深深浅浅话友谊|On Friendship',
    ]),
  ],
  8: [
    u('第一单元 走进社会生活|Unit 1 Into Social Life', [
      '丰富的社会生活|A Rich Social Life',
      '网络生活新空间|The New Space of Online Life',
    ]),
    u('第二单元 遵守社会规则|Unit 2 Following Social Rules', [
      '社会生活离不开规则|Society Needs Rules',
      '遵守规则|Following the Rules',
    ]),
  ],
  9: [
    u('第一单元 富强与创新|Unit 1 Prosperity and Innovation', [
      '踏上强国之路|On the Road to a Strong Nation',
      '创新驱动发展|Innovation Drives Development',
    ]),
    u('第二单元 民主与法治|Unit 2 Democracy and the Rule of Law', [
      '追求民主价值|Pursuing Democratic Values',
      '建设法治中国|Building Rule of Law in China',
    ]),
  ],
};

const POLITICS: readonly UnitSpec[] = [
  u('第一课 社会主义从空想到科学、从理论到实践的发展|Lesson 1 Socialism from Utopia to Science', 2),
  u('第二课 只有社会主义才能救中国|Lesson 2 Only Socialism Can Save China', 2),
  u('第三课 只有中国特色社会主义才能发展中国|Lesson 3 Socialism with Chinese Characteristics', 2),
];

const SCIENCE: Record<number, readonly UnitSpec[]> = {
  3: [
    u('第一单元 水|Unit 1 Water', [
      '水到哪里去了|Where Did the Water Go?',
      '水沸腾了|Water Boils',
      '水结冰了|Water Freezes',
    ]),
    u('第二单元 空气|Unit 2 Air', [
      '感受空气|Feeling the Air',
      '空气能占据空间吗|Does Air Take Up Space?',
      '压缩空气|Compressing Air',
    ]),
  ],
  4: [
    u('第一单元 声音|Unit 1 Sound', [
      '听听声音|Listening to Sounds',
      '声音是怎样产生的|How Sound Is Made',
      '声音是怎样传播的|How Sound Travels',
    ]),
    u('第二单元 呼吸与消化|Unit 2 Breathing and Digestion', [
      '感受我们的呼吸|Feeling Our Breath',
      '呼吸与健康生活|Breathing and Healthy Living',
    ]),
  ],
  5: [
    u('第一单元 光|Unit 1 Light', [
      '有关光的思考|Thinking about Light',
      '光是怎样传播的|How Light Travels',
      '光的反射现象|Reflection of Light',
    ]),
    u('第二单元 地球表面的变化|Unit 2 Changes on the Earth’s Surface', [
      '地球的表面|The Earth’s Surface',
      '地球内部运动引起的地形变化|Landforms Shaped by Movements inside the Earth',
    ]),
  ],
  6: [
    u('第一单元 微小世界|Unit 1 The Tiny World', [
      '放大镜|The Magnifying Glass',
      '怎样放得更大|Magnifying More',
      '观察身边微小的物体|Observing Tiny Things around Us',
    ]),
    u('第二单元 地球的运动|Unit 2 The Earth’s Motion', [
      '我们的地球模型|Our Model of the Earth',
      '昼夜交替现象|Day and Night',
    ]),
  ],
};

const HISTORY: Record<number, readonly UnitSpec[]> = {
  7: [
    u(
      '第一单元 史前时期：中国境内早期人类与文明的起源|Unit 1 Prehistory: Early Humans and the Origins of Civilisation in China',
      [
        '中国境内早期人类的代表——北京人|Peking Man',
        '原始农耕生活|Early Farming Life',
        '远古的传说|Legends of Antiquity',
      ],
    ),
    u('第二单元 夏商周时期：早期国家与社会变革|Unit 2 Xia, Shang and Zhou: Early States and Social Change', [
      '夏商周的更替|The Succession of Xia, Shang and Zhou',
      '青铜器与甲骨文|Bronzes and Oracle Bones',
    ]),
  ],
  8: [
    u('第一单元 中国开始沦为半殖民地半封建社会|Unit 1 China Becomes Semi-Colonial and Semi-Feudal', [
      '鸦片战争|The Opium War',
      '第二次鸦片战争|The Second Opium War',
    ]),
    u('第二单元 近代化的早期探索与民族危机的加剧|Unit 2 Early Modernisation and Deepening Crisis', [
      '洋务运动|The Self-Strengthening Movement',
      '甲午中日战争与列强瓜分中国狂潮|The First Sino-Japanese War',
    ]),
  ],
  9: [
    u('第一单元 古代亚非文明|Unit 1 Ancient Civilisations of Asia and Africa', [
      '古代埃及|Ancient Egypt',
      '古代两河流域|Ancient Mesopotamia',
      '古代印度|Ancient India',
    ]),
    u('第二单元 古代欧洲文明|Unit 2 Ancient European Civilisations', [
      '希腊城邦和亚历山大帝国|Greek City-States and Alexander’s Empire',
      '罗马城邦和罗马帝国|Roman Republic and Empire',
    ]),
  ],
  10: [
    u(
      '第一单元 从中华文明起源到秦汉大一统封建国家的建立与巩固|Unit 1 From the Origins of Chinese Civilisation to the Qin–Han Unification',
      3,
    ),
    u(
      '第二单元 三国两晋南北朝的民族交融与隋唐统一多民族封建国家的发展|Unit 2 From the Three Kingdoms to Sui and Tang',
      3,
    ),
  ],
  11: [
    u('第一单元 政治制度|Unit 1 Political Systems', 2),
    u('第二单元 官员的选拔与管理|Unit 2 Selecting and Managing Officials', 2),
  ],
  12: [
    u('第一单元 食物生产与社会生活|Unit 1 Food Production and Social Life', 2),
    u('第二单元 生产工具与劳作方式|Unit 2 Tools and Ways of Working', 2),
  ],
};

const GEOGRAPHY: Record<number, readonly UnitSpec[]> = {
  7: [
    u('第一章 地球|Chapter 1 The Earth', 3),
    u('第二章 地图|Chapter 2 Maps', 2),
    u('第三章 陆地和海洋|Chapter 3 Land and Sea', 2),
  ],
  8: [
    u('第一章 从世界看中国|Chapter 1 China in the World', 3),
    u('第二章 中国的自然环境|Chapter 2 China’s Natural Environment', 3),
    u('第三章 中国的自然资源|Chapter 3 China’s Natural Resources', 2),
  ],
  10: [
    u('第一章 宇宙中的地球|Chapter 1 The Earth in the Universe', 3),
    u('第二章 地球上的大气|Chapter 2 The Atmosphere', 2),
    u('第三章 地球上的水|Chapter 3 Water on Earth', 2),
  ],
  11: [
    u('第一章 地球的运动|Chapter 1 The Earth’s Motions', 2),
    u('第二章 地表形态的塑造|Chapter 2 Shaping the Land Surface', 2),
  ],
  12: [
    u('第一章 区域类型与区域差异|Chapter 1 Regions and Regional Differences', 2),
    u('第二章 资源、环境与区域发展|Chapter 2 Resources, Environment and Regional Development', 2),
  ],
};

const BIOLOGY: Record<number, readonly UnitSpec[]> = {
  7: [
    u('第一单元 生物和生物圈|Unit 1 Living Things and the Biosphere', 3),
    u('第二单元 生物体的结构层次|Unit 2 Levels of Organisation', 3),
    u('第三单元 生物圈中的绿色植物|Unit 3 Green Plants in the Biosphere', 2),
  ],
  8: [
    u('第五单元 生物圈中的其他生物|Unit 5 Other Living Things in the Biosphere', 3),
    u('第六单元 生物的多样性及其保护|Unit 6 Biodiversity and Its Protection', 2),
  ],
  10: [
    u('第一章 走近细胞|Chapter 1 Approaching the Cell', 2),
    u('第二章 组成细胞的分子|Chapter 2 The Molecules of the Cell', 3),
    u('第三章 细胞的基本结构|Chapter 3 The Basic Structure of the Cell', 2),
  ],
  11: [
    u('第一章 遗传因子的发现|Chapter 1 The Discovery of Genes', 2),
    u('第二章 基因和染色体的关系|Chapter 2 Genes and Chromosomes', 2),
  ],
  12: [
    u('第一章 人体的内环境与稳态|Chapter 1 The Internal Environment and Homeostasis', 2),
    u('第二章 神经调节|Chapter 2 Nervous Regulation', 2),
  ],
};

const PHYSICS: Record<number, readonly UnitSpec[]> = {
  8: [
    u('第一章 机械运动|Chapter 1 Mechanical Motion', 3),
    u('第二章 声现象|Chapter 2 Sound', 2),
    u('第三章 物态变化|Chapter 3 Changes of State', 3),
  ],
  9: [
    u('第十三章 内能|Chapter 13 Internal Energy', 2),
    u('第十四章 内能的利用|Chapter 14 Using Internal Energy', 2),
    u('第十五章 电流和电路|Chapter 15 Current and Circuits', 3),
  ],
  10: [
    u('第一章 运动的描述|Chapter 1 Describing Motion', 3),
    u('第二章 匀变速直线运动的研究|Chapter 2 Uniformly Accelerated Motion', 3),
    u('第三章 相互作用——力|Chapter 3 Interaction: Force', 3),
  ],
  11: [
    u('第九章 静电场及其应用|Chapter 9 Electrostatic Fields', 2),
    u('第十章 静电场中的能量|Chapter 10 Energy in Electrostatic Fields', 2),
  ],
  12: [
    u('第一章 动量守恒定律|Chapter 1 Conservation of Momentum', 2),
    u('第二章 机械振动|Chapter 2 Mechanical Vibration', 2),
  ],
};

const CHEMISTRY: Record<number, readonly UnitSpec[]> = {
  9: [
    u('第一单元 走进化学世界|Unit 1 Into the World of Chemistry', 3),
    u('第二单元 我们周围的空气|Unit 2 The Air around Us', 3),
    u('第三单元 物质构成的奥秘|Unit 3 What Matter Is Made Of', 3),
  ],
  10: [
    u('第一章 物质及其变化|Chapter 1 Substances and Their Changes', 3),
    u('第二章 海水中的重要元素——钠和氯|Chapter 2 Sodium and Chlorine', 3),
  ],
  11: [
    u('第一章 化学反应的热效应|Chapter 1 Heat in Chemical Reactions', 2),
    u('第二章 化学反应速率与化学平衡|Chapter 2 Rates and Equilibrium', 2),
  ],
  12: [
    u('第一章 原子结构与性质|Chapter 1 Atomic Structure', 2),
    u('第二章 分子结构与性质|Chapter 2 Molecular Structure', 2),
  ],
};

/** Arts and PE are taught from stage-wide topics; the sample gives each grade a few of them. */
const MUSIC: Record<StageCode, readonly UnitSpec[]> = {
  primary: [
    u('唱歌与欣赏：快乐的校园|Singing and Listening: A Happy School', 1),
    u('节奏与律动|Rhythm and Movement', 1),
    u('民族音乐欣赏|Chinese Folk Music', 1),
  ],
  junior: [u('歌唱祖国|Songs of the Motherland', 1), u('西洋乐器与管弦乐|Western Instruments and the Orchestra', 1)],
  senior: [u('音乐鉴赏：中国民族音乐|Appreciation: Chinese Traditional Music', 1)],
};
const ART: Record<StageCode, readonly UnitSpec[]> = {
  primary: [
    u('色彩的世界|The World of Colour', 1),
    u('线条与造型|Lines and Shapes', 1),
    u('手工：纸的艺术|Crafts: Paper Art', 1),
  ],
  junior: [u('中国画基础|Basics of Chinese Painting', 1), u('设计与生活|Design and Everyday Life', 1)],
  senior: [u('美术鉴赏|Art Appreciation', 1)],
};
const PE: Record<StageCode, readonly UnitSpec[]> = {
  primary: [
    u('居家锻炼：跳绳|Exercise at Home: Skipping', 1),
    u('队列队形与广播体操|Formations and Radio Calisthenics', 1),
    u('身体素质练习|Fitness Practice', 1),
  ],
  junior: [
    u('居家体能练习|Fitness at Home', 1),
    u('篮球基本技术|Basketball Basics', 1),
    u('健康教育：合理膳食|Health: A Balanced Diet', 1),
  ],
  senior: [u('体能训练|Fitness Training', 1), u('健康教育：心理调适|Health: Coping with Stress', 1)],
};

/**
 * Subjects taught in each grade (2022 compulsory-education plan; senior high core subjects), with the
 * edition the sample uses: 统编 for 语文, 道德与法治, 历史 and 思想政治, 人教版 or 教科版 otherwise.
 */
export function sampleSubjectsForGrade(grade: number): Array<{ subject: string; edition: string }> {
  const stage = stageOfGrade(grade).code;
  const list: string[] = ['chinese', 'math'];
  if (grade >= 3) list.push('english');
  list.push(stage === 'senior' ? 'politics' : 'morality');
  if (grade >= 3 && grade <= 6) list.push('science');
  if (grade >= 7) list.push('history');
  if (grade === 7 || grade === 8 || grade >= 10) list.push('geography', 'biology');
  if (grade >= 8) list.push('physics');
  if (grade >= 9) list.push('chemistry');
  if (grade <= 8) list.push('music', 'art');
  list.push('pe');
  return list
    .sort((a, b) => subjectRank(a) - subjectRank(b))
    .map((subject) => ({
      subject,
      edition: UNIFIED_EDITION.has(subject) ? 'tongbian' : subject === 'science' ? 'jk' : 'pep',
    }));
}

const UNIFIED_EDITION = new Set(['chinese', 'morality', 'politics', 'history']);

function unitsFor(grade: number, subject: string): readonly UnitSpec[] {
  const stage = stageOfGrade(grade).code;
  const byGrade: Record<string, Record<number, readonly UnitSpec[]> | undefined> = {
    chinese: CHINESE,
    math: MATH,
    english: ENGLISH,
    morality: MORALITY,
    science: SCIENCE,
    history: HISTORY,
    geography: GEOGRAPHY,
    biology: BIOLOGY,
    physics: PHYSICS,
    chemistry: CHEMISTRY,
  };
  const byStage: Record<string, Record<StageCode, readonly UnitSpec[]> | undefined> = {
    music: MUSIC,
    art: ART,
    pe: PE,
  };
  const units = subject === 'politics' ? POLITICS : (byGrade[subject]?.[grade] ?? byStage[subject]?.[stage]);
  if (!units) throw new Error(`sample curriculum has no units for grade ${grade} ${subject}`);
  return units;
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '高',
  '罗',
];
const GIVEN = [
  '晓明',
  '丽华',
  '建国',
  '海燕',
  '志强',
  '静',
  '文博',
  '雪梅',
  '俊杰',
  '秀英',
  '子涵',
  '思远',
  '佳怡',
  '国平',
  '雨欣',
  '浩然',
];

/** A stable, made-up teacher name per course (the same for every lesson of the course). */
function teacherFor(grade: number, subject: string): string {
  let hash = 2166136261;
  for (const ch of `${grade}:${subject}`) hash = Math.imul(hash ^ ch.codePointAt(0)!, 16777619) >>> 0;
  return `${SURNAMES[hash % SURNAMES.length]}${GIVEN[(hash >>> 8) % GIVEN.length]}`;
}

/** Nominal lesson lengths of the 2020 broadcasts: about 20 min in primary school, at most 30 in secondary. */
export function nominalDurationS(grade: number): number {
  const stage = stageOfGrade(grade).code;
  return stage === 'primary' ? 20 * 60 : stage === 'junior' ? 25 * 60 : 30 * 60;
}

function split(text: string): { zh: string; en: string } {
  const [zh, en] = text.split('|');
  return { zh: zh!, en: en ?? zh! };
}

export function sampleLessonId(
  grade: number,
  subject: string,
  edition: string,
  volume: number,
  unit: number,
  lesson: number,
): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `g${pad(grade)}-${subject}-${edition}-v${volume}-u${pad(unit)}-l${pad(lesson)}`;
}

function courseLessons(course: CourseSpec): LessonRecord[] {
  const volume = 1;
  const records: LessonRecord[] = [];
  course.units.forEach(([unitText, lessons], unitIndex) => {
    const unitTitle = split(unitText);
    const titles = Array.isArray(lessons)
      ? (lessons as readonly string[]).map(split)
      : Array.from({ length: lessons as number }, (_, k) => ({
          zh: `${unitTitle.zh}（第${k + 1}课时）`,
          en: `${unitTitle.en} (period ${k + 1})`,
        }));
    titles.forEach((title, lessonIndex) => {
      records.push({
        id: sampleLessonId(course.grade, course.subject, course.edition, volume, unitIndex + 1, lessonIndex + 1),
        grade: course.grade,
        subject: course.subject,
        edition: course.edition,
        volume,
        unit: unitIndex + 1,
        unitTitleZh: unitTitle.zh,
        unitTitleEn: unitTitle.en,
        lesson: lessonIndex + 1,
        titleZh: title.zh,
        titleEn: title.en,
        teacher: teacherFor(course.grade, course.subject),
        durationS: nominalDurationS(course.grade),
        captions: ['zh'],
      });
    });
  });
  return records;
}

/** The sample curriculum, grade by grade, subject by subject, in textbook order. */
export function sampleCurriculum(): LessonRecord[] {
  const records: LessonRecord[] = [];
  for (let grade = 1; grade <= 12; grade++) {
    for (const { subject, edition } of sampleSubjectsForGrade(grade)) {
      records.push(...courseLessons({ grade, subject, edition, units: unitsFor(grade, subject) }));
    }
  }
  return records;
}

/**
 * The lessons the sample packages as short synthetic videos: the first `lessonsPerCourse` lessons of
 * every course (a channel's first days need only those), optionally for some grades only.
 */
export function sampleLessonsToPackage(
  curriculum: readonly LessonRecord[],
  options: { lessonsPerCourse: number; grades?: readonly number[] },
): LessonRecord[] {
  const taken = new Map<string, number>();
  const picked: LessonRecord[] = [];
  for (const lesson of curriculum) {
    if (options.grades && !options.grades.includes(lesson.grade)) continue;
    const course = `${lesson.grade}/${lesson.subject}/${lesson.edition}`;
    const count = taken.get(course) ?? 0;
    if (count >= options.lessonsPerCourse) continue;
    taken.set(course, count + 1);
    picked.push(lesson);
  }
  return picked;
}

/**
 * A deterministic catalog of `n` lessons for benchmarks: every grade and subject of the sample mix,
 * editions, two volumes, 10 units of 8 lessons per volume, filled course by course until `n` are made.
 */
export function generateLargeCatalog(n = 20_000): LessonRecord[] {
  const editions = ['pep', 'bsd', 'sj', 'hj'];
  const unitsPerVolume = 10;
  const lessonsPerUnit = 8;
  const lessonsPerCourse = 2 * unitsPerVolume * lessonsPerUnit;
  const courses: Array<{ grade: number; subject: string; edition: string }> = [];
  for (const edition of editions) {
    for (let grade = 1; grade <= 12; grade++) {
      for (const { subject } of sampleSubjectsForGrade(grade)) courses.push({ grade, subject, edition });
    }
  }
  if (n > courses.length * lessonsPerCourse) {
    throw new RangeError(`generateLargeCatalog makes at most ${courses.length * lessonsPerCourse} lessons`);
  }
  const records: LessonRecord[] = [];
  for (let i = 0; i < n; i++) {
    const course = courses[Math.floor(i / lessonsPerCourse)]!;
    const within = i % lessonsPerCourse;
    const volume = Math.floor(within / (unitsPerVolume * lessonsPerUnit)) + 1;
    const unit = Math.floor((within % (unitsPerVolume * lessonsPerUnit)) / lessonsPerUnit) + 1;
    const lesson = (within % lessonsPerUnit) + 1;
    records.push(generatedLesson(course, volume, unit, lesson));
  }
  return records;
}

/** One generated (benchmark) lesson at a textbook position: numbered titles, the course's teacher, nominal length. */
export function generatedLesson(
  course: { grade: number; subject: string; edition: string },
  volume: number,
  unit: number,
  lesson: number,
): LessonRecord {
  return {
    id: sampleLessonId(course.grade, course.subject, course.edition, volume, unit, lesson),
    grade: course.grade,
    subject: course.subject,
    edition: course.edition,
    volume,
    unit,
    unitTitleZh: `第${unit}单元`,
    unitTitleEn: `Unit ${unit}`,
    lesson,
    titleZh: `第${unit}单元 第${lesson}课`,
    titleEn: `Unit ${unit} Lesson ${lesson}`,
    teacher: teacherFor(course.grade, course.subject),
    durationS: nominalDurationS(course.grade),
    captions: ['zh'],
  };
}
